package dev.clara.shared.answers;

/**
 * Platt scaling of one signal, {@code confidence = 1 / (1 + exp(-(a · score + b)))}, and the
 * confidence threshold chosen with it on held-out questions (docs/quality.md).
 *
 * @param a slope, positive (a higher score is never less likely right)
 * @param b intercept
 * @param threshold answer when the confidence reaches it
 */
public record Calibration(double a, double b, double threshold) {

	public Calibration {
		if (!(a > 0) || !Double.isFinite(a) || !Double.isFinite(b) || !(threshold >= 0 && threshold <= 1)) {
			throw new IllegalArgumentException("a calibration needs a finite positive slope, a finite intercept"
					+ " and a threshold in [0, 1]");
		}
	}

	double confidence(double score) {
		return 1 / (1 + Math.exp(-(this.a * score + this.b)));
	}

}
