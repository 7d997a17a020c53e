package dev.clara.shared.answers;

import java.util.Objects;
import java.util.Optional;

/**
 * The one decision of "is this question answered, and by which answer group?", asked by the chat
 * turn, by the gap detector before it closes a gap, and by the trainer for an owner's test
 * questions, so the three always agree.
 *
 * <p>Both signals become a <em>confidence</em>: the probability that the answer is right, by Platt
 * scaling measured on held-out questions for the workspace's size ({@link CalibrationTable},
 * docs/quality.md); the model's confidence also weighs the nearest pair's cosine and whether it
 * agrees with the model ({@link Calibration}). The model's best group answers when its confidence reaches the model's
 * threshold; a pair newer than the model (unseen by it) still answers when it is the nearest pair
 * and confident enough; with no model, the nearest pair decides alone. An owner's own threshold
 * is one probability for both paths, "answer when at least this likely right".
 */
public final class AnswerDecision {

	/**
	 * How confident an answer must be, and how confidence is computed, for one workspace.
	 * @param override the owner's own threshold for both paths, or null
	 * @param uncalibratedThreshold the cosine threshold of an embedding model nobody calibrated
	 * @param similarity calibration of the nearest pair's cosine similarity at the workspace's size;
	 * null: the similarity is its own confidence
	 * @param model calibration of the log-odds of the model's probability for its best group; null:
	 * the answer model is not used with this embedding model
	 */
	public record Policy(Double override, double uncalibratedThreshold, Calibration similarity, Calibration model) {

		public Policy {
			if (override != null && !(override >= 0 && override <= 1)) {
				throw new IllegalArgumentException("a threshold is a probability, in [0, 1]");
			}
		}

		/** The probability that the nearest pair's answer is right, from its cosine similarity. */
		public double similarityConfidence(double cosine) {
			return this.similarity == null ? Math.max(0, Math.min(1, cosine)) : this.similarity.confidence(cosine);
		}

		/** The confidence the nearest pair needs. */
		public double similarityThreshold() {
			return this.override != null ? this.override
					: this.similarity != null ? this.similarity.threshold() : this.uncalibratedThreshold;
		}

		/**
		 * The probability that the model's best group is right, from the model's probability for it
		 * and what the search saw: the nearest pair's cosine (0 when no pair was above the search
		 * floor: the question is unlike every pair) and whether that pair is of the same group.
		 */
		public double modelConfidence(double probability, double nearestCosine, boolean nearestAgrees) {
			if (this.model == null) {
				throw new IllegalStateException("the answer model is not calibrated for this embedding model");
			}
			double p = Math.max(1e-9, Math.min(1 - 1e-9, probability));
			return this.model.confidence(Math.log(p / (1 - p)), nearestCosine, nearestAgrees);
		}

		/** The confidence the model's best group needs. */
		public double modelThreshold() {
			return this.override != null ? this.override : this.model.threshold();
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
	 * @param threshold the confidence the deciding path needed
	 * @param source what chose the group; for a gap, what would have answered
	 */
	public record Decision(Optional<String> groupId, double confidence, double threshold, Source source) {

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
	 * The decision. A pair newer than the model answers when it is the nearest, confident enough,
	 * and more confident than the model is of its own best group: both confidences estimate the
	 * same chance of being right, and a new phrasing of a group the model knows should not
	 * overrule the model (evaluation/ANSWER_MODEL.md, "Pairs newer than the model").
	 * @param prediction the model's prediction, empty when no model applies
	 * @param nearest the nearest pair, empty when none was found
	 */
	public static Decision decide(Optional<Prediction> prediction, Optional<Neighbour> nearest, Policy policy) {
		Optional<Double> modelConfidence = prediction.map(p -> policy.modelConfidence(p.bestProbability(),
				nearest.map(Neighbour::similarity).orElse(0.0),
				nearest.map(n -> n.groupId().equals(p.bestGroupId())).orElse(false)));
		if (nearest.isPresent() && (prediction.isEmpty() || !nearest.get().seenByModel())) {
			double confidence = policy.similarityConfidence(nearest.get().similarity());
			double threshold = policy.similarityThreshold();
			if (confidence >= threshold && confidence > modelConfidence.orElse(-1.0)) {
				return new Decision(Optional.of(nearest.get().groupId()), confidence, threshold, Source.NEAREST_PAIR);
			}
			if (prediction.isEmpty()) {
				return new Decision(Optional.empty(), confidence, threshold, Source.NEAREST_PAIR);
			}
		}
		if (prediction.isEmpty()) {
			return new Decision(Optional.empty(), 0, policy.similarityThreshold(), Source.NEAREST_PAIR);
		}
		double confidence = modelConfidence.get();
		double threshold = policy.modelThreshold();
		return new Decision(confidence >= threshold ? Optional.of(prediction.get().bestGroupId()) : Optional.empty(),
				confidence, threshold, Source.MODEL);
	}

}
