package dev.clara.evaluation.documents;

import java.util.List;

import dev.clara.evaluation.documents.ArticleSplit.Part;
import dev.clara.evaluation.documents.DocumentMetrics.Point;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DocumentMetricsTests {

	private static DocumentAnswer answerable(double confidence, boolean shown, int rank) {
		return new DocumentAnswer("q", "A", Part.TUNE, true, false, confidence, 5, shown, rank);
	}

	private static DocumentAnswer unanswerable(double confidence) {
		return new DocumentAnswer("u", "A", Part.TUNE, false, false, confidence, 5, false, 0);
	}

	private static final List<DocumentAnswer> ANSWERS = List.of(answerable(0.9, true, 1), answerable(0.8, false, 3),
			answerable(0.6, false, 0), answerable(0.7, true, 2), unanswerable(0.65), unanswerable(0.85),
			new DocumentAnswer("r", "B", Part.REPORT, true, false, 0.9, 5, true, 1));

	@Test
	void recallCountsTheRankOfTheFirstChunkHoldingTheAnswer() {
		Point p = DocumentMetrics.at(ANSWERS, Part.TUNE, 0);
		assertThat(p.answerable()).isEqualTo(4);
		assertThat(p.unanswerable()).isEqualTo(2);
		assertThat(p.shownAt1()).isEqualTo(0.5);
		assertThat(p.recallAt1()).isEqualTo(0.25);
		assertThat(p.recallAt5()).isEqualTo(0.75);
		assertThat(p.answerableFlagged()).isZero();
		assertThat(p.unanswerableFlagged()).isZero();
		assertThat(p.handledRight()).isCloseTo(2 / 6.0, within(1e-9));
	}

	@Test
	void aThresholdFlagsWhatIsUnderItAndTakesItsAnswersAway() {
		Point p = DocumentMetrics.at(ANSWERS, Part.TUNE, 0.75);
		assertThat(p.answerableFlagged()).isEqualTo(0.5);
		assertThat(p.unanswerableFlagged()).isEqualTo(0.5);
		assertThat(p.shownAt1()).isEqualTo(0.25);
		assertThat(p.recallAt5()).isEqualTo(0.5);
		assertThat(p.handledRight()).isCloseTo(2 / 6.0, within(1e-9));
		assertThat(p.balanced()).isCloseTo((0.25 + 0.5) / 2, within(1e-9));
	}

	@Test
	void aReplyFlaggedByTheChatOrWithoutCitationsStaysFlagged() {
		DocumentAnswer gap = new DocumentAnswer("g", "A", Part.TUNE, false, true, 0.99, 0, false, 0);
		DocumentAnswer none = new DocumentAnswer("n", "A", Part.TUNE, false, false, 0.99, 0, false, 0);
		assertThat(gap.flaggedAt(0)).isTrue();
		assertThat(none.flaggedAt(0)).isTrue();
	}

	@Test
	void theBestThresholdHandlesMostQuestionsRightOnThePartAsked() {
		List<Point> curve = DocumentMetrics.curve(ANSWERS, Part.TUNE);
		assertThat(curve).hasSize(201);
		Point best = DocumentMetrics.bestHandledRight(curve);
		// above 0.65 and up to 0.7 the first unanswerable question is flagged and no answer is lost
		assertThat(best.threshold()).isEqualTo(0.655);
		assertThat(best.handledRight()).isCloseTo(3 / 6.0, within(1e-9));
		assertThat(DocumentMetrics.at(ANSWERS, Part.REPORT, best.threshold()).shownAt1()).isEqualTo(1.0);
	}

	@Test
	void theRecallBudgetFlagsTheMostUnanswerableQuestionsThatCostNoAnswerInTheTopFive() {
		// recall@5 0.75 at 0; above 0.7 the answer ranked second is lost (0.5): over the one-point budget
		Point best = DocumentMetrics.bestWithinRecallBudget(DocumentMetrics.curve(ANSWERS, Part.TUNE));
		assertThat(best.threshold()).isEqualTo(0.655);
		assertThat(best.recallAt5()).isEqualTo(0.75);
		assertThat(best.unanswerableFlagged()).isEqualTo(0.5);
	}

}
