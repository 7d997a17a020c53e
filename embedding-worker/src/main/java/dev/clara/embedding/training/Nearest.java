package dev.clara.embedding.training;

import java.util.List;
import java.util.Optional;

/** The pair most similar to a vector by cosine similarity, searched exactly in memory. */
record Nearest(Optional<TrainingSnapshot.Pair> pair, double similarity) {

	/** @param groupId only pairs of this group, or null for any */
	static Nearest of(float[] vector, List<TrainingSnapshot.Pair> pairs, String groupId) {
		TrainingSnapshot.Pair best = null;
		double bestSimilarity = Double.NEGATIVE_INFINITY;
		double norm = norm(vector);
		for (TrainingSnapshot.Pair pair : pairs) {
			if (groupId != null && !groupId.equals(pair.groupId())) {
				continue;
			}
			double dot = 0;
			for (int d = 0; d < vector.length; d++) {
				dot += vector[d] * pair.vector()[d];
			}
			double similarity = dot / (norm * norm(pair.vector()));
			if (similarity > bestSimilarity) {
				bestSimilarity = similarity;
				best = pair;
			}
		}
		return new Nearest(Optional.ofNullable(best), best == null ? 0 : bestSimilarity);
	}

	private static double norm(float[] vector) {
		double sum = 0;
		for (float v : vector) {
			sum += v * v;
		}
		return Math.max(Math.sqrt(sum), 1e-12);
	}

}
