package dev.clara.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * How well confidences match outcomes: a reliability table of {@value #BINS} equal-width bins
 * ([0, 0.1), …, [0.9, 1]; confidences outside [0, 1], as a raw cosine may be, are clamped into the
 * end bins), the expected calibration error (the bins' |share right − mean confidence| weighted by
 * their size) and the Brier score (mean squared difference between confidence and outcome 0/1).
 */
record Reliability(int[] count, double[] meanConfidence, double[] shareRight, double ece, double brier) {

	static final int BINS = 10;

	static Reliability of(double[] confidence, boolean[] right) {
		double[] weight = new double[confidence.length];
		java.util.Arrays.fill(weight, 1);
		return of(confidence, right, weight);
	}

	/** With a weight per question (counts stay unweighted; means, ECE and Brier are weighted). */
	static Reliability of(double[] confidence, boolean[] right, double[] weight) {
		int[] count = new int[BINS];
		double[] binWeight = new double[BINS];
		double[] sumConfidence = new double[BINS];
		double[] sumRight = new double[BINS];
		double brier = 0;
		double total = 0;
		for (int i = 0; i < confidence.length; i++) {
			double c = Math.min(1, Math.max(0, confidence[i]));
			int bin = Math.min(BINS - 1, (int) Math.floor(c * BINS));
			double y = right[i] ? 1 : 0;
			count[bin]++;
			binWeight[bin] += weight[i];
			sumConfidence[bin] += weight[i] * c;
			sumRight[bin] += weight[i] * y;
			brier += weight[i] * (c - y) * (c - y);
			total += weight[i];
		}
		double[] mean = new double[BINS];
		double[] share = new double[BINS];
		double ece = 0;
		for (int b = 0; b < BINS; b++) {
			if (count[b] > 0) {
				mean[b] = sumConfidence[b] / binWeight[b];
				share[b] = sumRight[b] / binWeight[b];
				ece += binWeight[b] * Math.abs(share[b] - mean[b]);
			}
		}
		return new Reliability(count, mean, share, ece / total, brier / total);
	}

	/** Markdown rows comparing two reliabilities (before and after calibration) bin by bin. */
	static List<String> table(Reliability before, Reliability after) {
		List<String> rows = new ArrayList<>();
		rows.add("| confidence bin | before: questions | before: mean confidence | before: share right | after: questions | after: mean confidence | after: share right |");
		rows.add("|---|---:|---:|---:|---:|---:|---:|");
		for (int b = 0; b < BINS; b++) {
			rows.add(String.format("| %.1f–%.1f | %d | %s | %s | %d | %s | %s |", b / 10.0, (b + 1) / 10.0,
					before.count[b], cell(before, b, before.meanConfidence), cell(before, b, before.shareRight),
					after.count[b], cell(after, b, after.meanConfidence), cell(after, b, after.shareRight)));
		}
		rows.add(String.format("| **ECE / Brier** | | %.4f | %.4f | | %.4f | %.4f |", before.ece, before.brier, after.ece,
				after.brier));
		return rows;
	}

	private static String cell(Reliability r, int bin, double[] values) {
		return r.count[bin] == 0 ? "" : String.format("%.3f", values[bin]);
	}

}
