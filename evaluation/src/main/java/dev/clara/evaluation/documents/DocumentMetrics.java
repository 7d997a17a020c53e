package dev.clara.evaluation.documents;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The documents benchmark's figures for one part of the split, at a passage threshold. At
 * threshold 0 they are what the replies say; at a higher one a reply counts as flagged when its
 * confidence (the first passage's similarity) is under it, which is what the chat turn would have
 * decided at that threshold, so one run (asked with the threshold at 0) gives the whole curve.
 */
final class DocumentMetrics {

	/** Thresholds swept, in this step. */
	static final double STEP = 0.005;

	/**
	 * The figures of one part at one threshold.
	 *
	 * @param shownAt1 answerable questions whose gold answer is in the first citation's passage as shown
	 * @param recallAt1 answerable questions whose gold answer is in the first cited chunk
	 * @param recallAt5 answerable questions whose gold answer is in one of the first five cited chunks
	 * @param answerableFlagged answerable questions flagged as gaps
	 * @param unanswerableFlagged unanswerable questions flagged as gaps
	 * @param handledRight the owner's criterion: (answerable answered with the gold answer shown +
	 * unanswerable flagged) / all questions
	 * @param balanced the mean of the share of answerable questions answered with the gold answer
	 * shown and the share of unanswerable questions flagged (as if both were equally many)
	 */
	record Point(double threshold, int answerable, int unanswerable, double shownAt1, double recallAt1,
			double recallAt5, double answerableFlagged, double unanswerableFlagged, double handledRight,
			double balanced) {
	}

	private DocumentMetrics() {
	}

	static Point at(List<DocumentAnswer> answers, ArticleSplit.Part part, double threshold) {
		List<DocumentAnswer> answerable = answers.stream().filter(a -> a.part() == part && a.answerable()).toList();
		List<DocumentAnswer> unanswerable = answers.stream().filter(a -> a.part() == part && !a.answerable()).toList();
		double shown = share(answerable, a -> !a.flaggedAt(threshold) && a.shownHit());
		double flaggedUnanswerable = share(unanswerable, a -> a.flaggedAt(threshold));
		long right = answerable.stream().filter(a -> !a.flaggedAt(threshold) && a.shownHit()).count()
				+ unanswerable.stream().filter(a -> a.flaggedAt(threshold)).count();
		int all = answerable.size() + unanswerable.size();
		return new Point(threshold, answerable.size(), unanswerable.size(), shown,
				share(answerable, a -> !a.flaggedAt(threshold) && a.inTop(1)),
				share(answerable, a -> !a.flaggedAt(threshold) && a.inTop(5)),
				share(answerable, a -> a.flaggedAt(threshold)), flaggedUnanswerable,
				all == 0 ? 0 : (double) right / all, (shown + flaggedUnanswerable) / 2);
	}

	/** The figures at every threshold from 0 to 1. */
	static List<Point> curve(List<DocumentAnswer> answers, ArticleSplit.Part part) {
		List<Point> curve = new ArrayList<>();
		for (int i = 0; i * STEP <= 1.0 + 1e-9; i++) {
			curve.add(at(answers, part, round(i * STEP)));
		}
		return curve;
	}

	/** The point of the curve that handles the most questions right (the lowest threshold among equals). */
	static Point bestHandledRight(List<Point> curve) {
		return best(curve, Point::handledRight);
	}

	/** How much answer recall@5 a threshold may cost against none at all: {@value} (one point, as for Q&A pairs). */
	static final double RECALL_BUDGET = 0.01;

	/**
	 * The point of the curve (from threshold 0) that flags the most unanswerable questions while
	 * costing no more than {@link #RECALL_BUDGET} of answer recall@5; the lowest threshold among equals.
	 */
	static Point bestWithinRecallBudget(List<Point> curve) {
		double floor = curve.get(0).recallAt5() - RECALL_BUDGET - 1e-12;
		return best(curve.stream().filter(p -> p.recallAt5() >= floor).toList(), Point::unanswerableFlagged);
	}

	private static Point best(List<Point> curve, java.util.function.ToDoubleFunction<Point> score) {
		Point best = null;
		for (Point point : curve) {
			if (best == null || score.applyAsDouble(point) > score.applyAsDouble(best) + 1e-12) {
				best = point;
			}
		}
		return best;
	}

	static double round(double threshold) {
		return Math.round(threshold * 1000) / 1000.0;
	}

	private static double share(List<DocumentAnswer> answers, Predicate<DocumentAnswer> counted) {
		return answers.isEmpty() ? 0 : (double) answers.stream().filter(counted).count() / answers.size();
	}

}
