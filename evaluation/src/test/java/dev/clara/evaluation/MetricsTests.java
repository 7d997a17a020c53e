package dev.clara.evaluation;

import java.util.List;

import dev.clara.evaluation.Metrics.Answer;
import dev.clara.evaluation.Metrics.Point;
import dev.clara.evaluation.ValidationSplit.Half;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTests {

	static Answer inScope(String gold, String predicted, double confidence) {
		return new Answer("q", gold, Half.REPORT, predicted, predicted == null ? List.of() : List.of(predicted), confidence,
				confidence < 0.5);
	}

	static Answer outOfScope(double confidence) {
		return new Answer("q", "oos", Half.REPORT, "balance", List.of("balance"), confidence, confidence < 0.5);
	}

	@Test
	void aRightAnswerCountsOnlyWhenNotFlaggedAndAnOutOfScopeQuestionOnlyWhenFlagged() {
		List<Answer> answers = List.of(inScope("balance", "balance", 0.9), inScope("balance", "transfer", 0.9),
				inScope("balance", "balance", 0.4), inScope("balance", null, 0.0), outOfScope(0.3), outOfScope(0.7));

		Point at = Metrics.at(answers, Half.REPORT, 0.5);

		assertThat(at.inScopeAccuracy()).isEqualTo(0.25);
		assertThat(at.outOfScopeRecall()).isEqualTo(0.5);
		assertThat(Metrics.asAnswered(answers, Half.REPORT)).isEqualTo(new Point(Double.NaN, 0.25, 0.5));
		assertThat(Metrics.accuracyWithoutThreshold(answers, Half.REPORT)).isEqualTo(0.5);
		assertThat(Metrics.at(answers, Half.TUNE, 0.5)).isEqualTo(new Point(0.5, 0, 0));
	}

	@Test
	void theCurveRunsFromZeroToOneAndTradesAccuracyForRecall() {
		List<Answer> answers = List.of(inScope("balance", "balance", 0.8), outOfScope(0.3));

		List<Point> curve = Metrics.curve(answers, Half.REPORT);

		assertThat(curve).hasSize(201);
		assertThat(curve.get(0)).isEqualTo(new Point(0.0, 1.0, 0.0));
		assertThat(curve.get(200)).isEqualTo(new Point(1.0, 0.0, 1.0));
	}

	@Test
	void theThresholdFlagsTheMostOutOfScopeQuestionsThatCostNoKnowledgeBaseMoreThanOnePointOfAccuracy() {
		// 200 in-scope questions per knowledge base, all answered right; one point = 2 questions
		List<Answer> first = new java.util.ArrayList<>();
		List<Answer> second = new java.util.ArrayList<>();
		for (int i = 0; i < 200; i++) {
			first.add(inScope("a", "a", 0.50 + i * 0.002));
			second.add(inScope("a", "a", 0.60 + i * 0.001));
		}
		first.addAll(List.of(outOfScope(0.30), outOfScope(0.45), outOfScope(0.70)));
		second.addAll(List.of(outOfScope(0.40), outOfScope(0.55), outOfScope(0.61)));

		double threshold = Metrics.bestThreshold(List.of(Metrics.curve(first, Half.REPORT), Metrics.curve(second, Half.REPORT)));

		// the first allows t <= 0.504 (two questions below it), the second t <= 0.602; on the grid,
		// t = 0.5 flags 2 of 3 and 1 of 3 out-of-scope questions, and 0.455 already flags as many
		assertThat(threshold).isCloseTo(0.455, within(1e-9));
		assertThat(Metrics.at(first, Half.REPORT, threshold).inScopeAccuracy()).isEqualTo(1.0);
	}

}
