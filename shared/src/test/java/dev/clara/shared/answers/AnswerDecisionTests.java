package dev.clara.shared.answers;

import java.util.List;
import java.util.Optional;

import dev.clara.shared.answers.AnswerDecision.Decision;
import dev.clara.shared.answers.AnswerDecision.Neighbour;
import dev.clara.shared.answers.AnswerDecision.Policy;
import dev.clara.shared.answers.AnswerDecision.Source;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class AnswerDecisionTests {

	static final List<String> GROUPS = List.of("hours", "refunds", "shipping");

	/** Identity on the model's log-odds (a = 1, b = 0): confidence = probability. */
	static Calibration same(double threshold) {
		return new Calibration(1, 0, threshold);
	}

	static Optional<Prediction> prediction(double hours, double refunds, double shipping) {
		return Optional.of(new Prediction(GROUPS, new double[] { hours, refunds, shipping }, 1 - hours - refunds - shipping));
	}

	static Optional<Neighbour> nearest(String group, double similarity, boolean seen) {
		return Optional.of(new Neighbour(group, similarity, seen));
	}

	@Test
	void theModelsBestGroupAnswersWhenItsConfidenceReachesTheThreshold() {
		Policy policy = new Policy(null, 0.9, null, same(0.5));

		Decision probable = AnswerDecision.decide(prediction(0.1, 0.7, 0.2), nearest("hours", 0.9, true), policy);
		Decision improbable = AnswerDecision.decide(prediction(0.3, 0.4, 0.3), nearest("refunds", 0.9, true), policy);

		assertThat(probable.groupId()).contains("refunds");
		assertThat(probable.source()).isEqualTo(Source.MODEL);
		assertThat(probable.confidence()).isCloseTo(0.7, within(1e-9));
		assertThat(improbable.gap()).isTrue();
		assertThat(improbable.source()).isEqualTo(Source.MODEL);
		assertThat(improbable.confidence()).isCloseTo(0.4, within(1e-9));
	}

	@Test
	void theModelsConfidenceWeighsTheNearestPairsCosineAndWhetherItAgrees() {
		Policy policy = new Policy(null, 0.9, null, new Calibration(1.2, -4, 0.5, 7, 0.4));

		Decision near = AnswerDecision.decide(prediction(0.1, 0.6, 0.3), nearest("refunds", 0.8, true), policy);
		Decision disagreeing = AnswerDecision.decide(prediction(0.1, 0.6, 0.3), nearest("hours", 0.8, true), policy);
		Decision far = AnswerDecision.decide(prediction(0.1, 0.6, 0.3), nearest("refunds", 0.3, true), policy);
		Decision nothingFound = AnswerDecision.decide(prediction(0.1, 0.6, 0.3), Optional.empty(), policy);

		double logOdds = Math.log(0.6 / 0.4);
		assertThat(near.confidence()).isCloseTo(1 / (1 + Math.exp(-(1.2 * logOdds - 4 + 7 * 0.8 + 0.4))), within(1e-9));
		assertThat(near.groupId()).contains("refunds");
		assertThat(disagreeing.confidence()).isCloseTo(1 / (1 + Math.exp(-(1.2 * logOdds - 4 + 7 * 0.8))), within(1e-9));
		assertThat(far.gap()).isTrue();
		assertThat(nothingFound.confidence()).isCloseTo(1 / (1 + Math.exp(-(1.2 * logOdds - 4))), within(1e-9));
		assertThat(nothingFound.gap()).isTrue();
	}

	@Test
	void confidenceIsTheCalibratedProbability() {
		Policy policy = new Policy(null, 0.9, new Calibration(10, -7, 0.5), new Calibration(2, 1, 0.5));

		double modelConfidence = AnswerDecision.decide(prediction(0.1, 0.7, 0.2), Optional.empty(), policy).confidence();
		double nearestConfidence = AnswerDecision.decide(Optional.empty(), nearest("hours", 0.8, false), policy)
			.confidence();

		double logOdds = Math.log(0.7 / 0.3);
		assertThat(modelConfidence).isCloseTo(1 / (1 + Math.exp(-(2 * logOdds + 1))), within(1e-9));
		assertThat(nearestConfidence).isCloseTo(1 / (1 + Math.exp(-(10 * 0.8 - 7))), within(1e-9));
	}

	@Test
	void aPairNewerThanTheModelAnswersWhenItIsTheNearestAndConfidentEnough() {
		Policy policy = new Policy(null, 0.6, null, same(0.6));
		Optional<Prediction> unsure = prediction(0.2, 0.2, 0.2);

		Decision close = AnswerDecision.decide(unsure, nearest("returns", 0.85, false), policy);
		Decision notClose = AnswerDecision.decide(unsure, nearest("returns", 0.55, false), policy);
		Decision seen = AnswerDecision.decide(unsure, nearest("hours", 0.95, true), policy);

		assertThat(close.groupId()).contains("returns");
		assertThat(close.source()).isEqualTo(Source.NEAREST_PAIR);
		assertThat(close.confidence()).isEqualTo(0.85);
		assertThat(notClose.gap()).isTrue();
		assertThat(notClose.source()).isEqualTo(Source.MODEL);
		assertThat(seen.gap()).as("a pair the model saw is the model's to judge").isTrue();
	}

	@Test
	void withoutAModelTheNearestPairDecidesAlone() {
		Policy policy = new Policy(null, 0.7, null, null);

		assertThat(AnswerDecision.decide(Optional.empty(), nearest("hours", 0.72, false), policy).groupId())
			.contains("hours");
		assertThat(AnswerDecision.decide(Optional.empty(), nearest("hours", 0.68, false), policy).gap()).isTrue();
		Decision nothing = AnswerDecision.decide(Optional.empty(), Optional.empty(), policy);
		assertThat(nothing.gap()).isTrue();
		assertThat(nothing.confidence()).isZero();
		assertThat(policy.usesModel()).isFalse();
	}

	@Test
	void aNewerPairDoesNotOverruleAModelMoreConfidentOfAnotherGroup() {
		Policy policy = new Policy(null, 0.6, null, same(0.6));

		Decision decision = AnswerDecision.decide(prediction(0.9, 0.05, 0.05), nearest("returns", 0.8, false), policy);

		assertThat(decision.groupId()).contains("hours");
		assertThat(decision.source()).isEqualTo(Source.MODEL);
	}

	@Test
	void anOwnersThresholdHoldsForBothPaths() {
		Policy policy = new Policy(0.95, 0.6, new Calibration(10, -7, 0.2), same(0.2));

		assertThat(policy.similarityThreshold()).isEqualTo(0.95);
		assertThat(policy.modelThreshold()).isEqualTo(0.95);
		assertThat(AnswerDecision.decide(prediction(0.1, 0.9, 0.0), Optional.empty(), policy).gap()).isTrue();
		assertThat(new Policy(null, 0.6, null, same(0.2)).similarityThreshold()).as("nothing calibrated: the cosine threshold")
			.isEqualTo(0.6);
	}

	@Test
	void theModelDecidesOnlyWithTwoGroupsAndEnoughPhrasings() {
		assertThat(AnswerDecision.modelApplies(10, 1)).isFalse();
		assertThat(AnswerDecision.modelApplies(3, 2)).isFalse();
		assertThat(AnswerDecision.modelApplies(4, 2)).isTrue();
	}

	@Test
	void refusesCalibrationsThatWouldInvertTheScore() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Calibration(-1, 0, 0.5));
		assertThatIllegalArgumentException().isThrownBy(() -> new Policy(1.5, 0.5, null, null));
	}

}
