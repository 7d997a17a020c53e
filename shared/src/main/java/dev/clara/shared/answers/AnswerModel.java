package dev.clara.shared.answers;

import java.util.List;
import java.util.Objects;

import dev.clara.shared.embedding.Vectors;

/**
 * A workspace's trained answer model: multinomial logistic regression over unit-length sentence
 * vectors of one embedding model, predicting a probability per answer group (and, optionally, for
 * "out of scope"). Immutable and thread-safe; {@link #toBytes()} is its stored form.
 *
 * <p>Weights are dimension-major, {@code weights[d · classes + c]} with the bias as the last row;
 * classes are the groups in {@link #groupIds()} order, then the out-of-scope class if any.
 */
public final class AnswerModel {

	private final String embeddingModelId;

	private final List<String> groupIds;

	private final boolean outOfScopeClass;

	private final int dimensions;

	private final float[] weights;

	AnswerModel(String embeddingModelId, List<String> groupIds, boolean outOfScopeClass, int dimensions, float[] weights) {
		this.embeddingModelId = Objects.requireNonNull(embeddingModelId, "embeddingModelId");
		this.groupIds = List.copyOf(groupIds);
		this.outOfScopeClass = outOfScopeClass;
		this.dimensions = dimensions;
		if (this.groupIds.isEmpty()) {
			throw new IllegalArgumentException("an answer model needs at least one answer group");
		}
		if (weights.length != (dimensions + 1) * classes()) {
			throw new IllegalArgumentException("expected " + (dimensions + 1) * classes() + " weights, got " + weights.length);
		}
		this.weights = weights.clone();
	}

	/** The embedding model whose vectors this model was trained on; it must not score any other's. */
	public String embeddingModelId() {
		return this.embeddingModelId;
	}

	/** The answer groups, in the order of the probabilities. */
	public List<String> groupIds() {
		return this.groupIds;
	}

	public boolean hasOutOfScopeClass() {
		return this.outOfScopeClass;
	}

	public int dimensions() {
		return this.dimensions;
	}

	/** The probability of each answer group (and of out of scope) for a question vector. */
	public Prediction predict(float[] questionVector) {
		if (questionVector.length != this.dimensions) {
			throw new IllegalArgumentException(
					"question vector has " + questionVector.length + " dimensions, the model " + this.dimensions);
		}
		int k = classes();
		float[] scores = new float[k];
		LinearScores.compute(this.weights, Vectors.normalize(questionVector), k, scores);
		double max = Double.NEGATIVE_INFINITY;
		for (float s : scores) {
			max = Math.max(max, s);
		}
		double[] exp = new double[k];
		double sum = 0;
		for (int c = 0; c < k; c++) {
			exp[c] = Math.exp(scores[c] - max);
			sum += exp[c];
		}
		double[] probabilities = new double[this.groupIds.size()];
		for (int g = 0; g < probabilities.length; g++) {
			probabilities[g] = exp[g] / sum;
		}
		return new Prediction(this.groupIds, probabilities, this.outOfScopeClass ? exp[k - 1] / sum : 0);
	}

	/** The stored form (see {@link AnswerModelCodec}): about 4 bytes per weight. */
	public byte[] toBytes() {
		return AnswerModelCodec.encode(this);
	}

	/** Reads {@link #toBytes()}'s form back. */
	public static AnswerModel fromBytes(byte[] bytes) {
		return AnswerModelCodec.decode(bytes);
	}

	int classes() {
		return this.groupIds.size() + (this.outOfScopeClass ? 1 : 0);
	}

	float[] weights() {
		return this.weights;
	}

}
