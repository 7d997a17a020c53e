package dev.clara.evaluation;

/**
 * Platt scaling: a confidence {@code sigmoid(a·x + b)} of one score {@code x}, fitted to whether
 * the answer given was right by minimising the mean log-loss (a two-parameter logistic
 * regression) with Newton's method and step halving, from {@code a = 0}, {@code b} = the log-odds
 * of the right share. Plain 0/1 targets (Platt's smoothed targets matter only for a few dozen
 * examples; the tuning sets here have 1,550 to 1,650).
 * @param a the slope (positive when a higher score means more often right)
 * @param b the intercept
 */
record Platt(double a, double b) {

	static final int MAX_ITERATIONS = 100;

	/** The confidence of a score. */
	double confidence(double x) {
		return sigmoid(this.a * x + this.b);
	}

	/** The score whose confidence is {@code confidence} (the raw threshold of a calibrated one). */
	double scoreAt(double confidence) {
		return (logit(confidence) - this.b) / this.a;
	}

	/** Fits to scores {@code x} and outcomes {@code right}. */
	static Platt fit(double[] x, boolean[] right) {
		int n = x.length;
		int positives = 0;
		for (boolean r : right) {
			positives += r ? 1 : 0;
		}
		if (positives == 0 || positives == n) {
			throw new IllegalArgumentException("Platt scaling needs both right and wrong answers");
		}
		double a = 0;
		double b = logit((double) positives / n);
		double loss = loss(x, right, a, b);
		for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
			// gradient and Hessian of the mean log-loss in (a, b)
			double ga = 0;
			double gb = 0;
			double haa = 0;
			double hab = 0;
			double hbb = 0;
			for (int i = 0; i < n; i++) {
				double p = sigmoid(a * x[i] + b);
				double residual = p - (right[i] ? 1 : 0);
				double w = Math.max(p * (1 - p), 1e-12);
				ga += residual * x[i];
				gb += residual;
				haa += w * x[i] * x[i];
				hab += w * x[i];
				hbb += w;
			}
			ga /= n;
			gb /= n;
			haa /= n;
			hab /= n;
			hbb /= n;
			if (Math.max(Math.abs(ga), Math.abs(gb)) < 1e-10) {
				break;
			}
			double det = haa * hbb - hab * hab;
			double da = -(hbb * ga - hab * gb) / det;
			double db = -(haa * gb - hab * ga) / det;
			double step = 1;
			double next = loss(x, right, a + da, b + db);
			while (!(next <= loss) && step > 1e-8) {
				step /= 2;
				next = loss(x, right, a + step * da, b + step * db);
			}
			if (!(next <= loss)) {
				break;
			}
			a += step * da;
			b += step * db;
			boolean done = loss - next < 1e-15;
			loss = next;
			if (done) {
				break;
			}
		}
		return new Platt(a, b);
	}

	/** The mean log-loss of confidences {@code sigmoid(a·x + b)}. */
	static double loss(double[] x, boolean[] right, double a, double b) {
		double sum = 0;
		for (int i = 0; i < x.length; i++) {
			double z = a * x[i] + b;
			// -log sigmoid(z) = log(1 + e^-z), computed without overflow
			sum += right[i] ? softplus(-z) : softplus(z);
		}
		return sum / x.length;
	}

	static double sigmoid(double z) {
		return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
	}

	static double logit(double p) {
		return Math.log(p / (1 - p));
	}

	private static double softplus(double z) {
		return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
	}

}
