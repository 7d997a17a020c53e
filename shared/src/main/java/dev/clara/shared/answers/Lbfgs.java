package dev.clara.shared.answers;

/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, for a smooth convex objective:
 * deterministic, full-batch, and with memory of {@value #HISTORY} parameter-sized vector pairs.
 */
final class Lbfgs {

	static final int HISTORY = 8;

	/** What minimising did; {@code evaluations} counts the objective's, line search included. */
	record Outcome(double[] theta, double value, int iterations, int evaluations, boolean converged) {
	}

	/** The objective: returns its value at theta and writes the gradient. */
	interface Objective {

		double valueAndGradient(double[] theta, double[] gradient);

	}

	private Lbfgs() {
	}

	/**
	 * Minimises from {@code start} (not modified) until the gradient's largest component is below
	 * {@code tolerance}, the value stops falling (relative change under {@code tolerance / 100}),
	 * or after {@code maxIterations}.
	 */
	static Outcome minimise(Objective objective, double[] start, int maxIterations, double tolerance) {
		int[] evaluations = { 0 };
		Objective f = (theta, gradient) -> {
			evaluations[0]++;
			return objective.valueAndGradient(theta, gradient);
		};
		int n = start.length;
		double[] x = start.clone();
		double[] g = new double[n];
		double value = f.valueAndGradient(x, g);
		double[][] s = new double[HISTORY][];
		double[][] y = new double[HISTORY][];
		double[] rho = new double[HISTORY];
		int stored = 0;
		int newest = -1;
		double[] direction = new double[n];
		double[] nextX = new double[n];
		double[] nextG = new double[n];
		double[] alpha = new double[HISTORY];
		double[] sNew = new double[n];
		double[] yNew = new double[n];
		for (int iteration = 1; iteration <= maxIterations; iteration++) {
			if (maxAbs(g) < tolerance) {
				return new Outcome(x, value, iteration - 1, evaluations[0], true);
			}
			// two-loop recursion: direction = -H·g
			for (int i = 0; i < n; i++) {
				direction[i] = -g[i];
			}
			for (int j = 0; j < stored; j++) {
				int at = Math.floorMod(newest - j, HISTORY);
				alpha[at] = rho[at] * dot(s[at], direction);
				axpy(-alpha[at], y[at], direction);
			}
			double scale = stored == 0 ? 1 / Math.max(1e-12, Math.sqrt(dot(g, g))) : 1 / (rho[newest] * dot(y[newest], y[newest]));
			for (int i = 0; i < n; i++) {
				direction[i] *= scale;
			}
			for (int j = stored - 1; j >= 0; j--) {
				int at = Math.floorMod(newest - j, HISTORY);
				double beta = rho[at] * dot(y[at], direction);
				axpy(alpha[at] - beta, s[at], direction);
			}
			double slope = dot(g, direction);
			if (slope >= 0) {
				// not a descent direction (numerical trouble): restart from steepest descent
				stored = 0;
				// the norm once, not per component: n² operations would take seconds at 58,000 parameters
				double norm = Math.max(1e-12, Math.sqrt(dot(g, g)));
				for (int i = 0; i < n; i++) {
					direction[i] = -g[i] / norm;
				}
				slope = dot(g, direction);
			}
			double step = 1;
			double nextValue;
			int tries = 0;
			while (true) {
				for (int i = 0; i < n; i++) {
					nextX[i] = x[i] + step * direction[i];
				}
				nextValue = f.valueAndGradient(nextX, nextG);
				if (nextValue <= value + 1e-4 * step * slope || ++tries >= 30) {
					break;
				}
				step /= 2;
			}
			if (!(nextValue < value) && tries >= 30) {
				return new Outcome(x, value, iteration, evaluations[0], false);
			}
			for (int i = 0; i < n; i++) {
				sNew[i] = nextX[i] - x[i];
				yNew[i] = nextG[i] - g[i];
			}
			double sy = dot(sNew, yNew);
			if (sy > 1e-12) {
				// a pair that does not keep the curvature positive is skipped, so H stays positive definite
				newest = (newest + 1) % HISTORY;
				double[] oldS = s[newest];
				double[] oldY = y[newest];
				s[newest] = sNew;
				y[newest] = yNew;
				rho[newest] = 1 / sy;
				stored = Math.min(HISTORY, stored + 1);
				sNew = oldS == null ? new double[n] : oldS;
				yNew = oldY == null ? new double[n] : oldY;
			}
			double change = Math.abs(value - nextValue) / Math.max(1, Math.abs(value));
			System.arraycopy(nextX, 0, x, 0, n);
			System.arraycopy(nextG, 0, g, 0, n);
			value = nextValue;
			if (change < tolerance / 100) {
				return new Outcome(x, value, iteration, evaluations[0], true);
			}
		}
		return new Outcome(x, value, maxIterations, evaluations[0], maxAbs(g) < tolerance);
	}

	private static double dot(double[] a, double[] b) {
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			sum += a[i] * b[i];
		}
		return sum;
	}

	private static void axpy(double a, double[] x, double[] y) {
		for (int i = 0; i < x.length; i++) {
			y[i] += a * x[i];
		}
	}

	private static double maxAbs(double[] v) {
		double max = 0;
		for (double x : v) {
			max = Math.max(max, Math.abs(x));
		}
		return max;
	}

}
