package dev.clara.shared.answers;

import java.util.Objects;
import java.util.Optional;

/**
 * The calibrated decision of a chat turn: answer with a group, or report a gap. Every threshold is
 * an input (chosen on held-out questions, see evaluation/ANSWER_MODEL.md, and overridable per
 * workspace), none is built in.
 *
 * <p>The model's best group is answered when its probability reaches
 * {@link Thresholds#minProbability()} and leads the second best by at least
 * {@link Thresholds#minMargin()} (Rasa's fallback: an NLU threshold and an ambiguity threshold),
 * and, when a nearest neighbour is known, its cosine similarity reaches
 * {@link Thresholds#minSimilarity()} (0 ignores it). A pair newer than the model, unseen by it, is
 * still answerable: when it is the nearest neighbour with similarity at least
 * {@link Thresholds#newPairSimilarity()}, its group is answered.
 */
public final class AnswerDecision {

	/**
	 * @param minProbability the model's best group needs at least this probability
	 * @param minMargin and this lead over the second best group
	 * @param minSimilarity and the nearest pair at least this cosine similarity (0: not required)
	 * @param newPairSimilarity a pair newer than the model answers when it is the nearest with this
	 * similarity; the fallback's threshold when there is no model
	 */
	public record Thresholds(double minProbability, double minMargin, double minSimilarity, double newPairSimilarity) {

		public Thresholds {
			if (!(minProbability >= 0 && minProbability <= 1) || !(minMargin >= 0 && minMargin <= 1)
					|| !Double.isFinite(minSimilarity) || !Double.isFinite(newPairSimilarity)) {
				throw new IllegalArgumentException("probability and margin thresholds in [0, 1], similarities finite");
			}
		}

	}

	/**
	 * The pair nearest to the question by cosine similarity.
	 * @param groupId its answer group
	 * @param newerThanModel whether it was added or changed after the model was trained
	 */
	public record Neighbour(String groupId, double similarity, boolean newerThanModel) {

		public Neighbour {
			Objects.requireNonNull(groupId, "groupId");
		}

	}

	/** What answered. */
	public enum Source {

		/** the answer model's best group */
		MODEL,

		/** the nearest pair (newer than the model, or no model) */
		NEAREST_PAIR

	}

	/**
	 * @param groupId the group to answer with, empty for a gap
	 * @param confidence the model's probability of the group, or the neighbour's similarity
	 * @param source what chose the group; for a gap, what would have answered
	 */
	public record Decision(Optional<String> groupId, double confidence, Source source) {

		public boolean gap() {
			return this.groupId.isEmpty();
		}

	}

	private AnswerDecision() {
	}

	/** The decision with a model; {@code nearest} may be empty (no pair searched or found). */
	public static Decision decide(Prediction prediction, Optional<Neighbour> nearest, Thresholds thresholds) {
		if (nearest.isPresent() && nearest.get().newerThanModel()
				&& nearest.get().similarity() >= thresholds.newPairSimilarity()) {
			return new Decision(Optional.of(nearest.get().groupId()), nearest.get().similarity(), Source.NEAREST_PAIR);
		}
		boolean confident = prediction.bestProbability() >= thresholds.minProbability()
				&& prediction.margin() >= thresholds.minMargin()
				&& nearest.map(n -> n.similarity() >= thresholds.minSimilarity()).orElse(true);
		return new Decision(confident ? Optional.of(prediction.bestGroupId()) : Optional.empty(),
				prediction.bestProbability(), Source.MODEL);
	}

	/** The decision without a model (none trained yet, or too few pairs): the nearest pair or a gap. */
	public static Decision decide(Optional<Neighbour> nearest, Thresholds thresholds) {
		boolean found = nearest.isPresent() && nearest.get().similarity() >= thresholds.newPairSimilarity();
		return new Decision(found ? Optional.of(nearest.get().groupId()) : Optional.empty(),
				nearest.map(Neighbour::similarity).orElse(0.0), Source.NEAREST_PAIR);
	}

}
