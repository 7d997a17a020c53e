package dev.clara.shared.answers;

/**
 * The two matrix products of {@link SoftmaxObjective}, for a block of examples at a time.
 *
 * <p>One example at a time, each product streams the whole weight (or gradient) matrix, 230 kB at
 * 150 classes × 384 dimensions, for every example. Over a block both reuse what is in L1 instead:
 * the scores reuse a tile of weight rows for every example of the block, the gradient keeps one
 * row (one dimension, all classes) while it adds the whole block into it.
 *
 * <p>Every innermost loop is an axpy over the classes of whole rows (separate arrays, index
 * {@code c} alone): C2 in JDK 17 turns such a loop into vector instructions, but not one that
 * indexes a flat matrix as {@code w[row + c]} (measured: about 1 ns per term either way against
 * 0.15 ns). Four terms per pass load and store the accumulated row a quarter as often; more terms
 * per pass stop C2 from vectorising.
 */
final class SoftmaxKernels {

	/** Dimensions per tile of the score product: 16 rows of 151 floats (10 kB) stay in L1. */
	static final int TILE = 16;

	private SoftmaxKernels() {
	}

	/**
	 * {@code scores[b][c] = w[dimensions][c] + Σ_d vectors[from + b][d] · w[d][c]} for the
	 * {@code count} examples from {@code from}; {@code w} has a row per dimension and the bias row.
	 */
	static void scores(float[][] w, float[][] vectors, int from, int count, int dimensions, float[][] scores) {
		float[] bias = w[dimensions];
		for (int b = 0; b < count; b++) {
			System.arraycopy(bias, 0, scores[b], 0, bias.length);
		}
		for (int tile = 0; tile < dimensions; tile += TILE) {
			int end = Math.min(dimensions, tile + TILE);
			for (int b = 0; b < count; b++) {
				float[] x = vectors[from + b];
				float[] s = scores[b];
				int d = tile;
				for (; d + 4 <= end; d += 4) {
					axpy4(s, x[d], w[d], x[d + 1], w[d + 1], x[d + 2], w[d + 2], x[d + 3], w[d + 3]);
				}
				for (; d < end; d++) {
					axpy(s, x[d], w[d]);
				}
			}
		}
	}

	/**
	 * {@code sums[d][c] += Σ_b vectors[from + b][d] · coefficients[b][c]} for every dimension, and
	 * the bias row {@code sums[dimensions][c] += Σ_b coefficients[b][c]}.
	 */
	static void accumulate(float[][] vectors, int from, int count, int dimensions, float[][] coefficients,
			float[][] sums) {
		for (int d = 0; d < dimensions; d++) {
			float[] row = sums[d];
			int b = 0;
			for (; b + 4 <= count; b += 4) {
				axpy4(row, vectors[from + b][d], coefficients[b], vectors[from + b + 1][d], coefficients[b + 1],
						vectors[from + b + 2][d], coefficients[b + 2], vectors[from + b + 3][d], coefficients[b + 3]);
			}
			for (; b < count; b++) {
				axpy(row, vectors[from + b][d], coefficients[b]);
			}
		}
		float[] bias = sums[dimensions];
		int b = 0;
		for (; b + 4 <= count; b += 4) {
			axpy4(bias, 1, coefficients[b], 1, coefficients[b + 1], 1, coefficients[b + 2], 1, coefficients[b + 3]);
		}
		for (; b < count; b++) {
			axpy(bias, 1, coefficients[b]);
		}
	}

	/** {@code target[d · k + c] += sums[d][c]}, then {@code sums} is zeroed for the next blocks. */
	static void flush(float[][] sums, double[] target) {
		for (int d = 0; d < sums.length; d++) {
			float[] row = sums[d];
			int at = d * row.length;
			for (int c = 0; c < row.length; c++) {
				target[at + c] += row[c];
				row[c] = 0;
			}
		}
	}

	private static void axpy4(float[] y, float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3,
			float[] x3) {
		for (int c = 0; c < y.length; c++) {
			y[c] += a0 * x0[c] + a1 * x1[c] + a2 * x2[c] + a3 * x3[c];
		}
	}

	private static void axpy(float[] y, float a, float[] x) {
		for (int c = 0; c < y.length; c++) {
			y[c] += a * x[c];
		}
	}

}
