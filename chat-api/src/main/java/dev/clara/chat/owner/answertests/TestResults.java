package dev.clara.chat.owner.answertests;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.owner.answertests.AnswerTestRepository.Row;

/**
 * How one model version did on the owner's test questions, with what an owner looks at first: the
 * counts per outcome and the regressions, questions the version before got right and this one
 * does not.
 *
 * @param modelVersion the version shown, null when the workspace has no model yet
 * @param previousVersion the version compared with, null when there is none before it
 * @param items every test question, in the order added
 * @param regressions the items whose previous outcome was {@code right} and whose outcome is now
 * another one; a question not checked yet ({@code pending}) is not counted as broken
 */
record TestResults(Integer modelVersion, Integer previousVersion, Summary summary, List<Result> items,
		List<Result> regressions) {

	static final String PENDING = "pending";

	static final String RIGHT = "right";

	/** Counts per outcome. */
	record Summary(int total, int right, int wrongAnswer, int wronglyFlagged, int wronglyAnswered, int pending) {
	}

	/**
	 * @param expectedQaId null: the question should not be answered
	 * @param outcome {@code right}, {@code wrong_answer} (another answer), {@code wrongly_flagged}
	 * (no answer although one was expected), {@code wrongly_answered} (an answer although none was
	 * expected) or {@code pending}
	 * @param answeredQaId the pair the version answered with, null for no answer
	 * @param answeredQuestion that pair's question, null when it has been deleted since
	 * @param confidence the version's confidence in its decision
	 * @param previousOutcome the outcome of the previous version, null when none was recorded
	 */
	record Result(UUID id, String question, UUID expectedQaId, String expectedQuestion, String outcome,
			UUID answeredQaId, String answeredQuestion, Double confidence, String previousOutcome) {
	}

	static TestResults of(Integer version, Integer previous, List<Row> rows) {
		List<Result> items = new ArrayList<>(rows.size());
		List<Result> regressions = new ArrayList<>();
		int right = 0;
		int wrongAnswer = 0;
		int wronglyFlagged = 0;
		int wronglyAnswered = 0;
		int pending = 0;
		for (Row row : rows) {
			String outcome = row.outcome() == null ? PENDING : row.outcome();
			Result result = new Result(row.test().id(), row.test().question(), row.test().expectedQaId(),
					row.test().expectedQuestion(), outcome, row.answeredQaId(), row.answeredQuestion(),
					row.confidence(), row.previousOutcome());
			items.add(result);
			switch (outcome) {
				case RIGHT -> right++;
				case "wrong_answer" -> wrongAnswer++;
				case "wrongly_flagged" -> wronglyFlagged++;
				case "wrongly_answered" -> wronglyAnswered++;
				default -> pending++;
			}
			if (RIGHT.equals(row.previousOutcome()) && !RIGHT.equals(outcome) && !PENDING.equals(outcome)) {
				regressions.add(result);
			}
		}
		return new TestResults(version, previous,
				new Summary(items.size(), right, wrongAnswer, wronglyFlagged, wronglyAnswered, pending), items,
				regressions);
	}

}
