package dev.clara.shared.answers;

/** Scores and softmax of a dimension-major linear model (see {@link SoftmaxObjective}). */
final class LinearScores {

	private LinearScores() {
	}

	/** {@code scores[c] = bias[c] + Σ_d x[d] · w[d · classes + c]}. */
	static void compute(float[] w, float[] x, int classes, float[] scores) {
		int bias = x.length * classes;
		System.arraycopy(w, bias, scores, 0, classes);
		for (int d = 0; d < x.length; d++) {
			float xd = x[d];
			int row = d * classes;
			for (int c = 0; c < classes; c++) {
				scores[c] += xd * w[row + c];
			}
		}
	}

	/** Turns {@code scores[from .. from + count)} into probabilities in place (max-shifted, so it cannot overflow). */
	static void softmaxInPlace(float[] scores, int from, int count) {
		int to = from + count;
		float max = Float.NEGATIVE_INFINITY;
		for (int c = from; c < to; c++) {
			max = Math.max(max, scores[c]);
		}
		double sum = 0;
		for (int c = from; c < to; c++) {
			double e = Math.exp(scores[c] - max);
			scores[c] = (float) e;
			sum += e;
		}
		for (int c = from; c < to; c++) {
			scores[c] = (float) (scores[c] / sum);
		}
	}

}
