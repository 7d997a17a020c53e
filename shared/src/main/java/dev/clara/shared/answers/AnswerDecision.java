package dev.clara.shared.answers;

import java.util.Objects;
import java.util.Optional;

/**
 * The one decision of "is this question answered, and by which answer group?", asked by the chat
 * turn, by the gap detector before it closes a gap, and by the trainer for an owner's test
 * questions, so the three always agree.
 *
 * <p>Both signals become a <em>confidence</em>: the probability that the answer is right, by Platt
 * scaling measured on held-out questions (docs/quality.md). The model's best group answers when
 * its confidence reaches the threshold; a pair newer than the model (unseen by it) still answers
 * when it is the nearest pair and its own confidence reaches the threshold; with no model, the
 * nearest pair decides alone. One threshold on one scale, so a workspace's override means the same
 * on both paths.
 */
public final class AnswerDecision {

	/**
	 * Platt scaling: {@code confidence = 1 / (1 + exp(-(a · score + b)))}.
	 * @param a slope, positive (a higher score is never less likely right)
	 * @param b intercept
	 */
	public record Calibration(double a, double b) {

		public Calibration {
			if (!(a > 0) || !Double.isFinite(a) || !Double.isFinite(b)) {
				throw new IllegalArgumentException("a calibration needs a finite positive slope and a finite intercept");
			}
		}

		double apply(double score) {
			return 1 / (1 + Math.exp(-(this.a * score + this.b)));
		}

	}

	/**
	 * @param threshold answer when the confidence reaches it
	 * @param similarity calibration of the nearest pair's cosine similarity; null: the similarity
	 * is its own confidence (a model nobody measured)
	 * @param model calibration of the log-odds of the model's probability for its best group; null:
	 * the answer model is not used with this embedding model
	 */
	public record Policy(double threshold, Calibration similarity, Calibration model) {

		public Policy {
			if (!(threshold >= 0 && threshold <= 1)) {
				throw new IllegalArgumentException("the threshold is a probability, in [0, 1]");
			}
		}

		/** The probability that the nearest pair's answer is right, from its cosine similarity. */
		public double similarityConfidence(double cosine) {
			return this.similarity == null ? Math.max(0, Math.min(1, cosine)) : this.similarity.apply(cosine);
		}

		/** The probability that the model's best group is right, from the model's probability for it. */
		public double modelConfidence(double probability) {
			if (this.model == null) {
				throw new IllegalStateException("the answer model is not calibrated for this embedding model");
			}
			double p = Math.max(1e-9, Math.min(1 - 1e-9, probability));
			return this.model.apply(Math.log(p / (1 - p)));
		}

		/** Whether an answer model may decide with this policy's embedding model. */
		public boolean usesModel() {
			return this.model != null;
		}

	}

	/**
	 * The pair nearest to the question by cosine similarity.
	 * @param groupId its answer group
	 * @param seenByModel whether the model was trained on it (false for a pair added or changed
	 * since, or when there is no model)
	 */
	public record Neighbour(String groupId, double similarity, boolean seenByModel) {

		public Neighbour {
			Objects.requireNonNull(groupId, "groupId");
		}

	}

	/** What chose the group. */
	public enum Source {

		/** the answer model's best group */
		MODEL,

		/** the nearest pair (newer than the model, or no model) */
		NEAREST_PAIR

	}

	/**
	 * @param groupId the group to answer with, empty for a gap
	 * @param confidence the probability that the answer would be right
	 * @param source what chose the group; for a gap, what would have answered
	 */
	public record Decision(Optional<String> groupId, double confidence, Source source) {

		public boolean gap() {
			return this.groupId.isEmpty();
		}

	}

	/**
	 * The least the model needs to decide instead of the nearest pair: at least two groups (one
	 * group is always "right") and, on average, this many phrasings per group. Below that, nearest
	 * neighbour measured as well or better (docs/quality.md, "Thin knowledge bases").
	 */
	static final double MIN_PHRASINGS_PER_GROUP = 2.0;

	private AnswerDecision() {
	}

	/** Whether a model trained on {@code pairs} phrasings of {@code groups} groups should decide. */
	public static boolean modelApplies(int pairs, int groups) {
		return groups >= 2 && pairs >= MIN_PHRASINGS_PER_GROUP * groups;
	}

	/**
	 * The decision.
	 * @param prediction the model's prediction, empty when no model applies
	 * @param nearest the nearest pair, empty when none was found
	 */
	public static Decision decide(Optional<Prediction> prediction, Optional<Neighbour> nearest, Policy policy) {
		if (nearest.isPresent() && (prediction.isEmpty() || !nearest.get().seenByModel())) {
			double confidence = policy.similarityConfidence(nearest.get().similarity());
			if (confidence >= policy.threshold()) {
				return new Decision(Optional.of(nearest.get().groupId()), confidence, Source.NEAREST_PAIR);
			}
			if (prediction.isEmpty()) {
				return new Decision(Optional.empty(), confidence, Source.NEAREST_PAIR);
			}
		}
		if (prediction.isEmpty()) {
			return new Decision(Optional.empty(), 0, Source.NEAREST_PAIR);
		}
		double confidence = policy.modelConfidence(prediction.get().bestProbability());
		return new Decision(confidence >= policy.threshold() ? Optional.of(prediction.get().bestGroupId())
				: Optional.empty(), confidence, Source.MODEL);
	}

}
