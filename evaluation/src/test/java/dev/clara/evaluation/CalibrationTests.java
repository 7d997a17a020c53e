package dev.clara.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.clara.evaluation.AnswerModelExperiment.Asked;
import dev.clara.evaluation.AnswerPaths.Judged;
import dev.clara.evaluation.AnswerPaths.Kind;
import dev.clara.evaluation.ConfidenceThresholds.Calibrated;
import dev.clara.evaluation.ConfidenceThresholds.Criterion;
import dev.clara.evaluation.ConfidenceThresholds.Figures;
import dev.clara.evaluation.ValidationSplit.Half;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CalibrationTests {

	@Test
	void plattScalingRecoversTheParametersThatGeneratedTheOutcomes() {
		Random random = new Random(1);
		int n = 20_000;
		double[] x = new double[n];
		boolean[] right = new boolean[n];
		for (int i = 0; i < n; i++) {
			x[i] = random.nextDouble() * 4 - 2;
			right[i] = random.nextDouble() < Platt.sigmoid(2.5 * x[i] - 1);
		}

		Platt platt = Platt.fit(x, right);

		assertThat(platt.a()).isCloseTo(2.5, within(0.15));
		assertThat(platt.b()).isCloseTo(-1, within(0.1));
		assertThat(platt.scoreAt(platt.confidence(0.7))).isCloseTo(0.7, within(1e-9));
		assertThat(Platt.loss(x, right, platt.a(), platt.b())).isLessThan(Platt.loss(x, right, platt.a() + 0.05, platt.b()));
	}

	@Test
	void reliabilityOfPerfectlyCalibratedBinsHasNoCalibrationError() {
		double[] confidence = { 0.25, 0.25, 0.25, 0.25, 0.95, 0.95 };
		boolean[] right = { true, false, false, false, true, true };

		Reliability r = Reliability.of(confidence, right);

		assertThat(r.count()[2]).isEqualTo(4);
		assertThat(r.count()[9]).isEqualTo(2);
		assertThat(r.ece()).isCloseTo(4 / 6.0 * 0 + 2 / 6.0 * 0.05, within(1e-12));
		assertThat(r.brier()).isCloseTo((0.75 * 0.75 + 3 * 0.0625 + 2 * 0.0025) / 6, within(1e-12));
	}

	static Judged judged(Half half, boolean outOfScope, boolean right, double cosine) {
		Asked asked = new Asked(new float[] { 1 }, outOfScope ? null : "g", half, false);
		return new Judged(asked, "g", right, cosine, 0);
	}

	@Test
	void thresholdsAreChosenOnTheTuningQuestionsAndCostIsCountedPerQuestion() {
		List<Judged> judged = new ArrayList<>();
		for (double s : new double[] { 0.9, 0.85, 0.8, 0.75 }) {
			judged.add(judged(Half.TUNE, false, true, s));
		}
		judged.add(judged(Half.TUNE, false, false, 0.7));
		judged.add(judged(Half.TUNE, true, false, 0.6));
		judged.add(judged(Half.TUNE, true, false, 0.78));
		judged.add(judged(Half.REPORT, true, false, 0.99));
		Calibrated c = Calibrated.with(Kind.NEAREST, judged, new Platt(20, -15));

		double t = ConfidenceThresholds.choose(Criterion.SUM, c, AnswerPaths.TUNE_50);
		Figures tune = ConfidenceThresholds.figures(c, AnswerPaths.TUNE_50, t);

		// above cos 0.78 both out-of-scope questions are flagged and one right answer lost: 3/5 + 1 beats
		// 4/5 + 1/2 (above 0.6) and 4/5 + 0 (everything answered); the lowest such threshold is chosen
		assertThat(tune.accuracy() + tune.recall()).isCloseTo(1.6, within(1e-12));
		assertThat(c.rawAt(t)).isGreaterThan(0.78).isLessThan(0.7801);
		Figures all = ConfidenceThresholds.figures(c, AnswerPaths.TUNE_50, 0, 3);
		// everything answered: one wrong in-scope and two out-of-scope answers cost 3 each
		assertThat(all.cost()).isCloseTo(9 / 7.0, within(1e-12));
		assertThat(ConfidenceThresholds.choose(Criterion.COST, c, AnswerPaths.TUNE_50)).isEqualTo(0.75);
	}

}
