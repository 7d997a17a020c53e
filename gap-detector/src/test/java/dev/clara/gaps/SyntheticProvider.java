package dev.clara.gaps;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.clara.shared.embedding.EmbeddingProvider;

/**
 * Made-up vectors of the fixture's model: each text is embedded as the vector the test gave it,
 * so a test states the geometry it needs (exact similarities, which pair is nearest) instead of
 * hoping a real model lands on the right side of a threshold. Vectors are built from axes: a unit
 * vector at cosine {@code c} of a unit vector {@code v} is {@code c·v + √(1 − c²)·e_k} for an axis
 * {@code e_k} orthogonal to {@code v}.
 */
final class SyntheticProvider implements EmbeddingProvider {

	static final int DIMENSIONS = 384;

	private final Map<String, float[]> vectors = new ConcurrentHashMap<>();

	/** The text is embedded as {@code vector} from now on; returns the vector. */
	float[] define(String text, float[] vector) {
		this.vectors.put(text, vector.clone());
		return vector;
	}

	@Override
	public String modelId() {
		return GapFixture.MODEL;
	}

	@Override
	public int dimensions() {
		return DIMENSIONS;
	}

	@Override
	public List<float[]> embedAll(List<String> texts) {
		return texts.stream().map(text -> {
			float[] vector = this.vectors.get(text);
			if (vector == null) {
				throw new IllegalStateException("the test gave no vector for \"" + text + "\"");
			}
			return vector.clone();
		}).toList();
	}

	/** The unit vector of axis {@code i}. */
	static float[] axis(int i) {
		float[] vector = new float[DIMENSIONS];
		vector[i] = 1;
		return vector;
	}

	/** The unit vector at cosine {@code cosine} of the unit vector {@code towards}, leaning on axis {@code k} (orthogonal to it). */
	static float[] at(double cosine, float[] towards, int k) {
		if (towards[k] != 0) {
			throw new IllegalArgumentException("axis " + k + " is not orthogonal to the vector");
		}
		float[] vector = new float[DIMENSIONS];
		for (int d = 0; d < DIMENSIONS; d++) {
			vector[d] = (float) (cosine * towards[d]);
		}
		vector[k] = (float) Math.sqrt(1 - cosine * cosine);
		return vector;
	}

}
