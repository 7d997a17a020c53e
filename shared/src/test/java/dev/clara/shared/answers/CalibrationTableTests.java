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
