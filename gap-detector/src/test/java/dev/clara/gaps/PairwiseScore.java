package dev.clara.gaps;

import java.util.List;
import java.util.UUID;

import dev.clara.gaps.Clinc150GapData.Item;

/**
 * A grouping of gap questions scored pairwise against their intents (the evaluation's metric, see
 * {@link Clinc150GapEvaluation}): precision = share of pairs in the same group that have the same
 * intent, recall = share of same-intent pairs that share a group.
 *
 * @param truePositives pairs in the same group with the same intent
 * @param predicted pairs in the same group
 * @param actual pairs with the same intent
 */
record PairwiseScore(long truePositives, long predicted, long actual) {

	/**
	 * Scores the pairs of items of one half ({@code tune} or not); {@code groups} holds each item's
	 * group, in the items' order.
	 */
	static PairwiseScore of(List<Item> items, List<UUID> groups, boolean tune) {
		long tp = 0;
		long predicted = 0;
		long actual = 0;
		for (int i = 0; i < items.size(); i++) {
			if (items.get(i).tune() != tune) {
				continue;
			}
			for (int j = i + 1; j < items.size(); j++) {
				if (items.get(j).tune() != tune) {
					continue;
				}
				boolean sameGroup = groups.get(i).equals(groups.get(j));
				boolean sameIntent = items.get(i).intent().equals(items.get(j).intent());
				predicted += sameGroup ? 1 : 0;
				actual += sameIntent ? 1 : 0;
				tp += (sameGroup && sameIntent) ? 1 : 0;
			}
		}
		return new PairwiseScore(tp, predicted, actual);
	}

	double precision() {
		return this.predicted == 0 ? 1 : (double) this.truePositives / this.predicted;
	}

	double recall() {
		return this.actual == 0 ? 1 : (double) this.truePositives / this.actual;
	}

	double f1() {
		return f(1);
	}

	/** F0.5: precision counts twice as much as recall (a wrongly merged gap hides a distinct question). */
	double fHalf() {
		return f(0.5);
	}

	private double f(double beta) {
		double p = precision();
		double r = recall();
		return (p + r) == 0 ? 0 : (1 + beta * beta) * p * r / (beta * beta * p + r);
	}

}
