package dev.clara.evaluation;

import java.util.List;

/**
 * A logistic regression on a few features with a bias (the last weight), fitted by Newton's method
 * on the mean log-loss with a tiny ridge so that separable data stays finite: Platt scaling with
 * more than one score.
 */
final class LogisticFit {

	static final double RIDGE = 1e-6;

	static final int MAX_ITERATIONS = 100;

	private LogisticFit() {
	}

	static double linear(double[] w, double[] x) {
		double z = w[x.length];
		for (int j = 0; j < x.length; j++) {
			z += w[j] * x[j];
		}
		return z;
	}

	static double[] fit(List<double[]> x, List<Boolean> right) {
		int d = x.get(0).length + 1;
		int n = x.size();
		double[] w = new double[d];
		long positives = right.stream().filter(r -> r).count();
		w[d - 1] = Platt.logit(Math.min(1 - 1e-6, Math.max(1e-6, (double) positives / n)));
		for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
			double[] g = new double[d];
			double[][] h = new double[d][d];
			for (int i = 0; i < n; i++) {
				double[] xi = withBias(x.get(i));
				double p = Platt.sigmoid(linear(w, x.get(i)));
				double r = p - (right.get(i) ? 1 : 0);
				double s = Math.max(p * (1 - p), 1e-12);
				for (int a = 0; a < d; a++) {
					g[a] += r * xi[a] / n;
					for (int b = 0; b < d; b++) {
						h[a][b] += s * xi[a] * xi[b] / n;
					}
				}
			}
			for (int a = 0; a < d; a++) {
				g[a] += RIDGE * w[a];
				h[a][a] += RIDGE;
			}
			double[] step = solve(h, g);
			double change = 0;
			for (int a = 0; a < d; a++) {
				w[a] -= step[a];
				change = Math.max(change, Math.abs(step[a]));
			}
			if (change < 1e-9) {
				break;
			}
		}
		return w;
	}

	private static double[] withBias(double[] x) {
		double[] xi = java.util.Arrays.copyOf(x, x.length + 1);
		xi[x.length] = 1;
		return xi;
	}

	/** Gaussian elimination with partial pivoting of a small dense system. */
	static double[] solve(double[][] a, double[] b) {
		int d = b.length;
		double[][] m = new double[d][];
		for (int i = 0; i < d; i++) {
			m[i] = java.util.Arrays.copyOf(a[i], d + 1);
			m[i][d] = b[i];
		}
		for (int c = 0; c < d; c++) {
			int pivot = c;
			for (int r = c + 1; r < d; r++) {
				if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
					pivot = r;
				}
			}
			double[] t = m[c];
			m[c] = m[pivot];
			m[pivot] = t;
			for (int r = c + 1; r < d; r++) {
				double f = m[r][c] / m[c][c];
				for (int k = c; k <= d; k++) {
					m[r][k] -= f * m[c][k];
				}
			}
		}
		double[] solution = new double[d];
		for (int r = d - 1; r >= 0; r--) {
			double s = m[r][d];
			for (int k = r + 1; k < d; k++) {
				s -= m[r][k] * solution[k];
			}
			solution[r] = s / m[r][r];
		}
		return solution;
	}

}
