package dev.clara.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import dev.clara.evaluation.ValidationSplit.Half;

/**
 * CLINC150's two figures from the chat API's answers. A question counts as flagged (a gap) when
 * its confidence is below the threshold, exactly as the chat turn decides {@code gap_detected}.
 * <ul>
 * <li>in-scope accuracy: share of in-scope questions whose best match has the right intent and
 * that were not flagged;</li>
 * <li>out-of-scope recall: share of out-of-scope questions flagged.</li>
 * </ul>
 */
final class Metrics {

	/** Thresholds tried: 0.000 to 1.000 in steps of {@value #STEP}. */
	static final double STEP = 0.005;

	private Metrics() {
	}

	/** What the chat API said about one question, mapped back to intents. */
	record Answer(String text, String gold, Half half, String predicted, List<String> matched, double confidence,
			boolean gapDetected) {

		boolean outOfScope() {
			return Clinc150.OUT_OF_SCOPE.equals(this.gold);
		}

		boolean rightIntent() {
			return this.gold.equals(this.predicted);
		}

	}

	/** The two figures at one threshold (fractions, not percent). */
	record Point(double threshold, double inScopeAccuracy, double outOfScopeRecall) {

	}

	/** The figures with the gap flags the chat API returned (its threshold at the time). */
	static Point asAnswered(List<Answer> answers, Half half) {
		return point(answers, half, Double.NaN, a -> a.gapDetected() ? 1 : 0);
	}

	/** The figures had the threshold been {@code threshold}. */
	static Point at(List<Answer> answers, Half half, double threshold) {
		return point(answers, half, threshold, a -> a.confidence() < threshold ? 1 : 0);
	}

	/**
	 * Share of the half's questions handled right at {@code threshold}: in-scope ones answered with
	 * the right intent and not flagged, out-of-scope ones flagged. Each question weighs the same, as
	 * in the validation split (30 in-scope questions to one out-of-scope one); configurations are
	 * compared by it.
	 */
	static double handledRight(List<Answer> answers, Half half, double threshold) {
		long asked = 0;
		long right = 0;
		for (Answer a : answers) {
			if (inHalf(a, half)) {
				asked++;
				boolean flagged = a.confidence() < threshold;
				right += (a.outOfScope() ? flagged : a.rightIntent() && !flagged) ? 1 : 0;
			}
		}
		return asked == 0 ? 0 : (double) right / asked;
	}

	/** In-scope accuracy with no threshold at all: the retrieval's ceiling. */
	static double accuracyWithoutThreshold(List<Answer> answers, Half half) {
		long inScope = 0;
		long right = 0;
		for (Answer a : answers) {
			if (inHalf(a, half) && !a.outOfScope()) {
				inScope++;
				right += a.rightIntent() ? 1 : 0;
			}
		}
		return inScope == 0 ? 0 : (double) right / inScope;
	}

	static List<Point> curve(List<Answer> answers, Half half) {
		List<Point> curve = new ArrayList<>();
		for (int i = 0; i <= Math.round(1 / STEP); i++) {
			curve.add(at(answers, half, round(i * STEP)));
		}
		return curve;
	}

	/**
	 * How much in-scope accuracy a threshold may cost on any knowledge base, against no threshold
	 * at all: {@value} (one point).
	 */
	static final double ACCURACY_BUDGET = 0.01;

	/**
	 * The threshold chosen from several knowledge bases' curves (the same grid, from threshold 0):
	 * the one that flags the most out-of-scope questions (mean recall over the knowledge bases)
	 * while costing no knowledge base more than {@link #ACCURACY_BUDGET} of in-scope accuracy; of
	 * thresholds that flag as many, the lowest (it wrongly flags the fewest in-scope questions).
	 */
	static double bestThreshold(List<List<Point>> curves) {
		int n = curves.get(0).size();
		double bestRecall = Double.NEGATIVE_INFINITY;
		double best = curves.get(0).get(0).threshold();
		for (int i = 0; i < n; i++) {
			double recall = 0;
			boolean withinBudget = true;
			for (List<Point> curve : curves) {
				Point p = curve.get(i);
				withinBudget &= p.inScopeAccuracy() >= curve.get(0).inScopeAccuracy() - ACCURACY_BUDGET - 1e-12;
				recall += p.outOfScopeRecall() / curves.size();
			}
			if (withinBudget && recall > bestRecall + 1e-12) {
				bestRecall = recall;
				best = curves.get(0).get(i).threshold();
			}
		}
		return best;
	}

	static double round(double threshold) {
		return Math.round(threshold * 1000) / 1000.0;
	}

	private static Point point(List<Answer> answers, Half half, double threshold, ToDoubleFunction<Answer> flagged) {
		long inScope = 0;
		long right = 0;
		long outOfScope = 0;
		long caught = 0;
		for (Answer a : answers) {
			if (!inHalf(a, half)) {
				continue;
			}
			boolean gap = flagged.applyAsDouble(a) > 0;
			if (a.outOfScope()) {
				outOfScope++;
				caught += gap ? 1 : 0;
			}
			else {
				inScope++;
				right += (a.rightIntent() && !gap) ? 1 : 0;
			}
		}
		return new Point(threshold, inScope == 0 ? 0 : (double) right / inScope,
				outOfScope == 0 ? 0 : (double) caught / outOfScope);
	}

	private static boolean inHalf(Answer a, Half half) {
		return half == null || a.half() == half;
	}

}
