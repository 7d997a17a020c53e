package dev.clara.shared.answers;

/**
 * Platt scaling of one signal, {@code confidence = 1 / (1 + exp(-(a · score + b)))}, and the
 * confidence threshold chosen with it on held-out questions (docs/quality.md). The answer model's
 * calibration also weighs what the search saw: {@code + cosine · (the nearest pair's cosine) +
 * agreement · (1 when the nearest pair is of the model's group)} — a question far from every pair,
 * or whose nearest pair disagrees with the model, is less likely answered right than the model's
 * probability alone says (evaluation/ANSWER_MODEL.md, "Model and search together").
 *
 * @param a slope, positive (a higher score is never less likely right)
 * @param b intercept
 * @param threshold answer when the confidence reaches it
 * @param cosine weight of the nearest pair's cosine (0 for the similarity path: its score is the cosine)
 * @param agreement weight of "the nearest pair is of the answered group"
 */
public record Calibration(double a, double b, double threshold, double cosine, double agreement) {

	public Calibration {
		if (!(a > 0) || !Double.isFinite(a) || !Double.isFinite(b) || !(threshold >= 0 && threshold <= 1)
				|| !Double.isFinite(cosine) || !Double.isFinite(agreement)) {
			throw new IllegalArgumentException("a calibration needs a finite positive slope, finite weights"
					+ " and a threshold in [0, 1]");
		}
	}

	/** One signal alone. */
	public Calibration(double a, double b, double threshold) {
		this(a, b, threshold, 0, 0);
	}

	double confidence(double score) {
		return confidence(score, 0, false);
	}

	double confidence(double score, double nearestCosine, boolean agrees) {
		double z = this.a * score + this.b + this.cosine * nearestCosine + (agrees ? this.agreement : 0);
		return 1 / (1 + Math.exp(-z));
	}

}
