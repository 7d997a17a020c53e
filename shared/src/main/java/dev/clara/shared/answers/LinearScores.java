package dev.clara.shared.answers;

/** Scores of a dimension-major linear model (see {@link AnswerModel}), one question at a time. */
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

}
