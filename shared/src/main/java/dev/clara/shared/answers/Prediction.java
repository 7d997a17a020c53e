package dev.clara.shared.answers;

import java.util.List;

/**
 * An answer model's probability distribution for one question: one probability per answer group
 * (in the model's group order) and, when the model was trained with out-of-scope examples, the
 * probability that the question is none of them; together they sum to 1.
 */
public final class Prediction {

	private final List<String> groupIds;

	private final double[] probabilities;

	private final double outOfScope;

	private final int best;

	private final int second;

	Prediction(List<String> groupIds, double[] probabilities, double outOfScope) {
		this.groupIds = groupIds;
		this.probabilities = probabilities;
		this.outOfScope = outOfScope;
		int first = -1;
		int next = -1;
		for (int g = 0; g < probabilities.length; g++) {
			if (first < 0 || probabilities[g] > probabilities[first]) {
				next = first;
				first = g;
			}
			else if (next < 0 || probabilities[g] > probabilities[next]) {
				next = g;
			}
		}
		this.best = first;
		this.second = next;
	}

	/** The most probable answer group. */
	public String bestGroupId() {
		return this.groupIds.get(this.best);
	}

	/** The probability of {@link #bestGroupId()}. */
	public double bestProbability() {
		return this.probabilities[this.best];
	}

	/** The second most probable group's probability; 0 when the model has one group. */
	public double secondProbability() {
		return this.second < 0 ? 0 : this.probabilities[this.second];
	}

	/** The gap between the two best groups, as Rasa's ambiguity threshold measures it. */
	public double margin() {
		return bestProbability() - secondProbability();
	}

	/** The probability that the question is out of scope; 0 when the model has no such class. */
	public double outOfScopeProbability() {
		return this.outOfScope;
	}

	/** The probability of a group; 0 for a group the model does not know. */
	public double probabilityOf(String groupId) {
		int at = this.groupIds.indexOf(groupId);
		return at < 0 ? 0 : this.probabilities[at];
	}

	/** The groups, in the model's order. */
	public List<String> groupIds() {
		return this.groupIds;
	}

	/** A copy of the probabilities, in the order of {@link #groupIds()}. */
	public double[] probabilities() {
		return this.probabilities.clone();
	}

}
