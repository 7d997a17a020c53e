package dev.clara.shared.answers;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CalibrationTableTests {

	final CalibrationTable table = new CalibrationTable(List.of(
			new CalibrationTable.Row(100, new Calibration(2.0, 1.0, 0.2)),
			new CalibrationTable.Row(1, new Calibration(1.0, 2.0, 0.4)),
			new CalibrationTable.Row(10, new Calibration(1.5, 1.5, 0.3))));

	@Test
	void interpolatesInTheLogarithmOfPhrasingsPerGroupAndClampsAtTheEnds() {
		Calibration between = this.table.at(Math.sqrt(10));

		assertThat(between.a()).isCloseTo(1.25, within(1e-12));
		assertThat(between.b()).isCloseTo(1.75, within(1e-12));
		assertThat(between.threshold()).isCloseTo(0.35, within(1e-12));
		assertThat(this.table.at(10)).isEqualTo(new Calibration(1.5, 1.5, 0.3));
		assertThat(this.table.at(0.5)).isEqualTo(new Calibration(1.0, 2.0, 0.4));
		assertThat(this.table.at(1_000)).isEqualTo(new Calibration(2.0, 1.0, 0.2));
	}

	@Test
	void interpolatesTheSearchSignalsWeightsToo() {
		CalibrationTable withSignals = new CalibrationTable(List.of(
				new CalibrationTable.Row(1, new Calibration(1.0, -2.0, 0.3, 4.0, 0.6)),
				new CalibrationTable.Row(100, new Calibration(1.2, -12.0, 0.1, 16.0, 1.0))));

		Calibration between = withSignals.at(10);

		assertThat(between.cosine()).isCloseTo(10.0, within(1e-12));
		assertThat(between.agreement()).isCloseTo(0.8, within(1e-12));
		assertThat(between.b()).isCloseTo(-7.0, within(1e-12));
	}

	@Test
	void readsTheSearchSignalsWeightsOfTheModelPath() {
		AnswerCalibrations calibrations = AnswerCalibrations.fromJson("""
				[{"path": "answer_model", "phrasings_per_group": 5, "a": 1.2, "b": -4.0, "threshold": 0.23,
				  "cosine_weight": 7.0, "agreement_weight": 0.36}]""");

		AnswerDecision.Policy policy = calibrations.policy(null, 0.67, 5);

		double logOdds = Math.log(0.6 / 0.4);
		assertThat(policy.modelConfidence(0.6, 0.8, true))
			.isCloseTo(1 / (1 + Math.exp(-(1.2 * logOdds - 4.0 + 7.0 * 0.8 + 0.36))), within(1e-12));
		assertThat(policy.modelConfidence(0.6, 0.8, false)).isLessThan(policy.modelConfidence(0.6, 0.8, true));
	}

	@Test
	void readsTheDatabasesFormAndTellsWhatWasNotMeasured() {
		AnswerCalibrations both = AnswerCalibrations.fromJson("""
				[{"path": "similarity", "phrasings_per_group": 1, "a": 14.5, "b": -10.5, "threshold": 0.2},
				 {"path": "answer_model", "phrasings_per_group": 5, "a": 1.5, "b": 1.8, "threshold": 0.3}]""");
		AnswerCalibrations none = AnswerCalibrations.fromJson(null);

		AnswerDecision.Policy policy = both.policy(null, 0.67, 5);
		assertThat(policy.similarityThreshold()).isEqualTo(0.2);
		assertThat(policy.modelThreshold()).isEqualTo(0.3);
		assertThat(policy.similarityConfidence(0.8)).isCloseTo(1 / (1 + Math.exp(-(14.5 * 0.8 - 10.5))), within(1e-12));
		AnswerDecision.Policy uncalibrated = none.policy(null, 0.67, 5);
		assertThat(uncalibrated.usesModel()).isFalse();
		assertThat(uncalibrated.similarityThreshold()).isEqualTo(0.67);
		assertThat(uncalibrated.similarityConfidence(0.8)).isEqualTo(0.8);
	}

}
