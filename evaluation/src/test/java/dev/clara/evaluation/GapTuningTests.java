package dev.clara.evaluation;

import java.util.ArrayList;
import java.util.List;

import dev.clara.evaluation.GapTuning.Choice;
import dev.clara.evaluation.GapTuning.Figures;
import dev.clara.evaluation.GapTuning.Grid;
import dev.clara.evaluation.GapTuning.Scored;
import dev.clara.evaluation.GapTuning.Thresholds;
import dev.clara.evaluation.ValidationSplit.Half;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GapTuningTests {

	static Scored inScope(Half half, boolean right, double probability) {
		return new Scored(false, half, false, right, probability, probability, 1);
	}

	static Scored outOfScope(Half half, boolean extra, double probability) {
		return new Scored(true, half, extra, false, probability, probability, 1);
	}

	@Test
	void figuresCountRightUnflaggedInScopeAndFlaggedOutOfScopeQuestions() {
		List<Scored> questions = List.of(inScope(Half.REPORT, true, 0.9), inScope(Half.REPORT, true, 0.4),
				inScope(Half.REPORT, false, 0.95), outOfScope(Half.REPORT, false, 0.3), outOfScope(Half.REPORT, false, 0.8));

		Figures f = GapTuning.figures(questions, GapTuning.REPORT, new Thresholds(0.5, 0, 0));

		assertThat(f.inScopeAccuracy()).isCloseTo(1 / 3.0, within(1e-12));
		assertThat(f.outOfScopeRecall()).isCloseTo(0.5, within(1e-12));
		assertThat(f.criterion()).isCloseTo(1 / 3.0 + 0.5, within(1e-12));
	}

	@Test
	void thresholdsAreChosenOnTheTuneQuestionsOnlyByAccuracyPlusRecall() {
		List<Scored> questions = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			questions.add(inScope(Half.TUNE, true, 0.6 + i * 0.03));
			// report questions that would pull the threshold elsewhere if they were looked at
			questions.add(inScope(Half.REPORT, true, 0.2));
		}
		questions.add(outOfScope(Half.TUNE, false, 0.5));
		questions.add(outOfScope(Half.TUNE, true, 0.55));
		Grid grid = new Grid(0, 1, 0.05);

		Choice plain = GapTuning.tune(questions, GapTuning.TUNE, grid, Grid.OFF, Grid.OFF);
		Choice withExtra = GapTuning.tune(questions, GapTuning.TUNE_WITH_OOS_TRAIN, grid, Grid.OFF, Grid.OFF);

		assertThat(plain.thresholds().probability()).isEqualTo(0.55);
		assertThat(plain.onTune().outOfScope()).isEqualTo(1);
		assertThat(withExtra.thresholds().probability()).isEqualTo(0.6);
		assertThat(withExtra.onTune().criterion()).isEqualTo(2.0);
		assertThat(GapTuning.figures(questions, GapTuning.REPORT, withExtra.thresholds()).inScopeAccuracy()).isZero();
	}

}
