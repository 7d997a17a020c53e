package dev.clara.shared.answers;

import java.util.List;
import java.util.Optional;

import dev.clara.shared.answers.AnswerDecision.Decision;
import dev.clara.shared.answers.AnswerDecision.Neighbour;
import dev.clara.shared.answers.AnswerDecision.Source;
import dev.clara.shared.answers.AnswerDecision.Thresholds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerDecisionTests {

	static final List<String> GROUPS = List.of("hours", "refunds", "shipping");

	static Prediction prediction(double hours, double refunds, double shipping) {
		return new Prediction(GROUPS, new double[] { hours, refunds, shipping }, 1 - hours - refunds - shipping);
	}

	@Test
	void answersTheBestGroupWhenProbableAndClearlyAhead() {
		Thresholds thresholds = new Thresholds(0.5, 0.2, 0, 0.8);

		Decision clear = AnswerDecision.decide(prediction(0.1, 0.7, 0.2), Optional.empty(), thresholds);
		Decision improbable = AnswerDecision.decide(prediction(0.3, 0.4, 0.3), Optional.empty(), thresholds);
		Decision ambiguous = AnswerDecision.decide(prediction(0.0, 0.55, 0.45), Optional.empty(), thresholds);

		assertThat(clear.groupId()).contains("refunds");
		assertThat(clear.confidence()).isEqualTo(0.7);
		assertThat(clear.source()).isEqualTo(Source.MODEL);
		assertThat(improbable.gap()).isTrue();
		assertThat(ambiguous.gap()).isTrue();
		assertThat(ambiguous.confidence()).isEqualTo(0.55);
	}

	@Test
	void aFarNearestPairMakesEvenAProbableAnswerAGapWhenASimilarityIsRequired() {
		Prediction sure = prediction(0.9, 0.05, 0.05);
		Optional<Neighbour> far = Optional.of(new Neighbour("hours", 0.5, false));

		assertThat(AnswerDecision.decide(sure, far, new Thresholds(0.5, 0, 0.6, 0.8)).gap()).isTrue();
		assertThat(AnswerDecision.decide(sure, far, new Thresholds(0.5, 0, 0, 0.8)).groupId()).contains("hours");
	}

	@Test
	void aPairNewerThanTheModelAnswersWhenItIsTheNearestAndCloseEnough() {
		Prediction unsure = prediction(0.2, 0.2, 0.2);
		Thresholds thresholds = new Thresholds(0.5, 0.1, 0, 0.8);

		Decision close = AnswerDecision.decide(unsure, Optional.of(new Neighbour("returns", 0.85, true)), thresholds);
		Decision notClose = AnswerDecision.decide(unsure, Optional.of(new Neighbour("returns", 0.75, true)), thresholds);
		Decision old = AnswerDecision.decide(unsure, Optional.of(new Neighbour("hours", 0.95, false)), thresholds);

		assertThat(close.groupId()).contains("returns");
		assertThat(close.source()).isEqualTo(Source.NEAREST_PAIR);
		assertThat(close.confidence()).isEqualTo(0.85);
		assertThat(notClose.gap()).isTrue();
		assertThat(old.gap()).isTrue();
	}

	@Test
	void withoutAModelTheNearestPairAnswersAboveTheSimilarityThreshold() {
		Thresholds thresholds = new Thresholds(0.5, 0, 0, 0.7);

		assertThat(AnswerDecision.decide(Optional.of(new Neighbour("hours", 0.72, false)), thresholds).groupId())
			.contains("hours");
		assertThat(AnswerDecision.decide(Optional.of(new Neighbour("hours", 0.68, false)), thresholds).gap()).isTrue();
		assertThat(AnswerDecision.decide(Optional.empty(), thresholds).gap()).isTrue();
	}

}
