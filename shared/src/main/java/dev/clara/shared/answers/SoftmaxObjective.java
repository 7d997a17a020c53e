package dev.clara.shared.answers;

import java.util.Arrays;

/**
 * The weighted mean softmax cross-entropy of a linear model over unit vectors, plus
 * {@code l2 / 2 · ‖W‖²} (the bias is not penalised), and its gradient.
 *
 * <p>Parameters are laid out dimension-major, {@code theta[d · classes + c]}, with the bias as row
 * {@code d = dimensions}: the inner loops then run over classes without a reduction, which the JIT
 * turns into vector instructions. Sums over examples are kept per block in float and added in
 * double, so the gradient stays accurate enough for the line search near the optimum.
 */
final class SoftmaxObjective {

	private static final int BLOCK = 256;

	private final float[][] vectors;

	private final int[] labels;

	private final float[] weights;

	private final double totalWeight;

	private final int dimensions;

	private final int classes;

	private final double l2;

	SoftmaxObjective(float[][] vectors, int[] labels, float[] weights, int classes, double l2) {
		this.vectors = vectors;
		this.labels = labels;
		this.weights = weights;
		this.dimensions = vectors[0].length;
		this.classes = classes;
		this.l2 = l2;
		double total = 0;
		for (float w : weights) {
			total += w;
		}
		this.totalWeight = total;
	}

	int parameterCount() {
		return (this.dimensions + 1) * this.classes;
	}

	/** The objective at {@code theta}; its gradient is written into {@code gradient}. */
	double valueAndGradient(double[] theta, double[] gradient) {
		int k = this.classes;
		float[] w = new float[theta.length];
		for (int i = 0; i < theta.length; i++) {
			w[i] = (float) theta[i];
		}
		Arrays.fill(gradient, 0);
		float[] block = new float[theta.length];
		float[] scores = new float[k];
		double loss = 0;
		for (int n = 0; n < this.vectors.length; n++) {
			float[] x = this.vectors[n];
			LinearScores.compute(w, x, k, scores);
			LinearScores.softmaxInPlace(scores);
			float weight = (float) (this.weights[n] / this.totalWeight);
			loss -= weight * Math.log(Math.max(scores[this.labels[n]], 1e-30f));
			scores[this.labels[n]] -= 1;
			for (int c = 0; c < k; c++) {
				scores[c] *= weight;
			}
			for (int d = 0; d < this.dimensions; d++) {
				float xd = x[d];
				int row = d * k;
				for (int c = 0; c < k; c++) {
					block[row + c] += xd * scores[c];
				}
			}
			int bias = this.dimensions * k;
			for (int c = 0; c < k; c++) {
				block[bias + c] += scores[c];
			}
			if ((n + 1) % BLOCK == 0 || n == this.vectors.length - 1) {
				for (int i = 0; i < block.length; i++) {
					gradient[i] += block[i];
				}
				Arrays.fill(block, 0);
			}
		}
		double penalty = 0;
		int penalised = this.dimensions * k;
		for (int i = 0; i < penalised; i++) {
			penalty += theta[i] * theta[i];
			gradient[i] += this.l2 * theta[i];
		}
		return loss + this.l2 / 2 * penalty;
	}

}
