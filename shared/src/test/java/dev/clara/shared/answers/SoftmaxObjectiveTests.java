package dev.clara.shared.answers;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.clara.shared.embedding.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The blocked, multi-threaded objective against a plain one written from the formula (double
 * throughout, one example at a time), on sizes that do not fill the blocks and chunks evenly.
 */
class SoftmaxObjectiveTests {

	static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(3);

	@AfterAll
	static void stop() {
		EXECUTOR.shutdownNow();
	}

	/** Random unit vectors, labels and weights (out-of-scope-like examples weigh differently). */
	record Problem(float[][] vectors, int[] labels, float[] weights, int classes, double l2) {

		static Problem random(int n, int dimensions, int classes, long seed) {
			Random random = new Random(seed);
			float[][] vectors = new float[n][dimensions];
			int[] labels = new int[n];
			float[] weights = new float[n];
			for (int i = 0; i < n; i++) {
				for (int d = 0; d < dimensions; d++) {
					vectors[i][d] = (float) random.nextGaussian();
				}
				vectors[i] = Vectors.normalize(vectors[i]);
				labels[i] = random.nextInt(classes);
				weights[i] = random.nextInt(4) == 0 ? 0.5f : 1f;
			}
			return new Problem(vectors, labels, weights, classes, 1e-3);
		}

		double[] theta(long seed) {
			Random random = new Random(seed);
			double[] theta = new double[(this.vectors[0].length + 1) * this.classes];
			for (int i = 0; i < theta.length; i++) {
				theta[i] = random.nextGaussian();
			}
			return theta;
		}

		SoftmaxObjective objective(int threads) {
			return new SoftmaxObjective(this.vectors, this.labels, this.weights, this.classes, this.l2,
					threads > 1 ? EXECUTOR : null, threads - 1);
		}

		/** The formula, term by term: Σ_n w_n/W · −log softmax(W x_n + b)[y_n] + l2/2 ‖W‖². */
		double reference(double[] theta, double[] gradient) {
			int k = this.classes;
			int dimensions = this.vectors[0].length;
			java.util.Arrays.fill(gradient, 0);
			double total = 0;
			for (float w : this.weights) {
				total += w;
			}
			double loss = 0;
			for (int n = 0; n < this.vectors.length; n++) {
				double[] p = new double[k];
				double max = Double.NEGATIVE_INFINITY;
				for (int c = 0; c < k; c++) {
					p[c] = theta[dimensions * k + c];
					for (int d = 0; d < dimensions; d++) {
						p[c] += this.vectors[n][d] * theta[d * k + c];
					}
					max = Math.max(max, p[c]);
				}
				double sum = 0;
				for (int c = 0; c < k; c++) {
					p[c] = Math.exp(p[c] - max);
					sum += p[c];
				}
				double share = this.weights[n] / total;
				for (int c = 0; c < k; c++) {
					p[c] /= sum;
				}
				loss -= share * Math.log(p[this.labels[n]]);
				for (int c = 0; c < k; c++) {
					double delta = share * (p[c] - (c == this.labels[n] ? 1 : 0));
					for (int d = 0; d < dimensions; d++) {
						gradient[d * k + c] += delta * this.vectors[n][d];
					}
					gradient[dimensions * k + c] += delta;
				}
			}
			for (int i = 0; i < dimensions * k; i++) {
				loss += this.l2 / 2 * theta[i] * theta[i];
				gradient[i] += this.l2 * theta[i];
			}
			return loss;
		}

	}

	@Test
	void valueAndGradientAreTheFormulasOnOddSizes() {
		// one example, one group + out of scope; a block and a bit; several chunks with a short last
		// block; more blocks than chunks (chunks of uneven length)
		int[][] shapes = { { 1, 3, 2 }, { 2, 5, 2 }, { 67, 5, 3 }, { 333, 17, 7 }, { 64 * 21 + 5, 9, 151 }, { 255, 384, 11 } };
		for (int[] shape : shapes) {
			Problem problem = Problem.random(shape[0], shape[1], shape[2], shape[0]);
			double[] theta = problem.theta(7);
			double[] expected = new double[theta.length];
			double expectedValue = problem.reference(theta, expected);
			for (int threads = 1; threads <= 3; threads++) {
				double[] gradient = new double[theta.length];
				double value = problem.objective(threads).valueAndGradient(theta, gradient);

				assertThat(value).as("value, shape %s, %d threads", java.util.Arrays.toString(shape), threads)
					.isCloseTo(expectedValue, within(1e-5 * Math.max(1, Math.abs(expectedValue))));
				double scale = maxAbs(expected);
				for (int i = 0; i < theta.length; i++) {
					assertThat(gradient[i]).as("gradient %d, shape %s, %d threads", i, java.util.Arrays.toString(shape), threads)
						.isCloseTo(expected[i], within(1e-5 * scale));
				}
			}
		}
	}

	@Test
	void theResultIsTheSameBitForBitWhateverTheNumberOfThreads() {
		Problem problem = Problem.random(64 * 40 + 31, 24, 13, 11);
		double[] theta = problem.theta(12);
		double[] one = new double[theta.length];
		double value = problem.objective(1).valueAndGradient(theta, one);
		for (int threads = 2; threads <= 4; threads++) {
			SoftmaxObjective objective = problem.objective(threads);
			for (int again = 0; again < 3; again++) {
				double[] gradient = new double[theta.length];
				assertThat(objective.valueAndGradient(theta, gradient)).isEqualTo(value);
				assertThat(gradient).isEqualTo(one);
			}
		}
	}

	@Test
	void theGradientIsTheSlopeOfTheValue() {
		// central differences of the objective itself along random directions; the value is summed
		// in float per example, so the step is large enough for that rounding to stay small
		Problem problem = Problem.random(150, 12, 5, 21);
		double[] theta = problem.theta(22);
		SoftmaxObjective objective = problem.objective(2);
		double[] gradient = new double[theta.length];
		objective.valueAndGradient(theta, gradient);
		Random random = new Random(23);
		double[] scratch = new double[theta.length];
		for (int trial = 0; trial < 5; trial++) {
			double[] direction = new double[theta.length];
			for (int i = 0; i < direction.length; i++) {
				direction[i] = random.nextGaussian();
			}
			double h = 1e-3;
			double up = objective.valueAndGradient(step(theta, direction, h), scratch);
			double down = objective.valueAndGradient(step(theta, direction, -h), scratch);
			double slope = 0;
			for (int i = 0; i < theta.length; i++) {
				slope += gradient[i] * direction[i];
			}
			assertThat((up - down) / (2 * h)).isCloseTo(slope, within(1e-3 * Math.max(1, Math.abs(slope))));
		}
	}

	@Test
	void theReferenceGradientIsTheSlopeOfTheReferenceValue() {
		// checks the check: the plain implementation's gradient against its own value, in double
		Problem problem = Problem.random(40, 6, 4, 31);
		double[] theta = problem.theta(32);
		double[] gradient = new double[theta.length];
		problem.reference(theta, gradient);
		double[] scratch = new double[theta.length];
		for (int i = 0; i < theta.length; i += 3) {
			double[] unit = new double[theta.length];
			unit[i] = 1;
			double h = 1e-5;
			double slope = (problem.reference(step(theta, unit, h), scratch) - problem.reference(step(theta, unit, -h), scratch))
					/ (2 * h);
			assertThat(slope).isCloseTo(gradient[i], within(1e-7));
		}
	}

	static double[] step(double[] theta, double[] direction, double h) {
		double[] moved = theta.clone();
		for (int i = 0; i < moved.length; i++) {
			moved[i] += h * direction[i];
		}
		return moved;
	}

	static double maxAbs(double[] values) {
		double max = 0;
		for (double v : values) {
			max = Math.max(max, Math.abs(v));
		}
		return max;
	}

}
