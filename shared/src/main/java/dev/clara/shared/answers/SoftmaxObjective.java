package dev.clara.shared.answers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The weighted mean softmax cross-entropy of a linear model over unit vectors, plus
 * {@code l2 / 2 · ‖W‖²} (the bias is not penalised), and its gradient.
 *
 * <p>Parameters are laid out dimension-major, {@code theta[d · classes + c]}, with the bias as row
 * {@code d = dimensions}, so the inner loops run over classes (see {@link SoftmaxKernels}). The
 * examples are cut into blocks of {@value #BLOCK}; the gradient is summed in float over
 * {@value #FLUSH_BLOCKS} blocks at most and added in double, so it stays accurate enough for the
 * line search near the optimum (and the float-to-double addition, which C2 does not vectorise,
 * costs little).
 *
 * <p>The blocks are grouped into at most {@value #MAX_CHUNKS} contiguous chunks that depend only on
 * the number of examples; each chunk has its own double gradient and loss, and the chunks are added
 * in chunk order. Threads only decide who computes a chunk, never how sums are grouped, so the
 * value and gradient are the same bit for bit whatever the number of threads or their timing.
 * One call at a time: the chunks' sums are kept between calls (L-BFGS calls it in turn anyway).
 */
final class SoftmaxObjective {

	static final int BLOCK = 64;

	/** Blocks whose float gradient sums are added to the double gradient together. */
	static final int FLUSH_BLOCKS = 4;

	/** Enough chunks for two or three threads to share unevenly (another process may hold a core). */
	static final int MAX_CHUNKS = 16;

	private final float[][] vectors;

	private final int[] labels;

	/** Each example's weight divided by the total weight, so the loss is a weighted mean. */
	private final float[] shares;

	private final int dimensions;

	private final int classes;

	private final double l2;

	private final int blocks;

	private final int chunks;

	/** The chunks' gradients but the first's (which is summed straight into the caller's array). */
	private final double[][] partials;

	private final double[] losses;

	private final ExecutorService executor;

	private final int helpers;

	/** A single-threaded objective. */
	SoftmaxObjective(float[][] vectors, int[] labels, float[] weights, int classes, double l2) {
		this(vectors, labels, weights, classes, l2, null, 0);
	}

	/**
	 * @param executor runs the {@code helpers} tasks that work beside the calling thread (null when
	 * there are none); it needs a thread per helper, or the call waits for a busy one
	 */
	SoftmaxObjective(float[][] vectors, int[] labels, float[] weights, int classes, double l2, ExecutorService executor,
			int helpers) {
		this.vectors = vectors;
		this.labels = labels;
		this.dimensions = vectors[0].length;
		this.classes = classes;
		this.l2 = l2;
		double total = 0;
		for (float w : weights) {
			total += w;
		}
		this.shares = new float[weights.length];
		for (int n = 0; n < weights.length; n++) {
			this.shares[n] = (float) (weights[n] / total);
		}
		this.blocks = (vectors.length + BLOCK - 1) / BLOCK;
		this.chunks = Math.min(MAX_CHUNKS, this.blocks);
		this.partials = new double[this.chunks][];
		this.losses = new double[this.chunks];
		this.executor = executor;
		this.helpers = executor == null ? 0 : Math.min(helpers, this.chunks - 1);
	}

	int parameterCount() {
		return (this.dimensions + 1) * this.classes;
	}

	/** The objective at {@code theta}; its gradient is written into {@code gradient}. */
	double valueAndGradient(double[] theta, double[] gradient) {
		float[][] w = new float[this.dimensions + 1][this.classes];
		for (int d = 0; d <= this.dimensions; d++) {
			for (int c = 0; c < this.classes; c++) {
				w[d][c] = (float) theta[d * this.classes + c];
			}
		}
		AtomicInteger next = new AtomicInteger();
		Runnable worker = () -> {
			float[][] scores = new float[BLOCK][this.classes];
			float[][] sums = new float[this.dimensions + 1][this.classes];
			for (int chunk = next.getAndIncrement(); chunk < this.chunks; chunk = next.getAndIncrement()) {
				double[] target = chunk == 0 ? gradient : partial(chunk);
				this.losses[chunk] = chunk(chunk, w, target, scores, sums);
			}
		};
		List<Future<?>> helping = new ArrayList<>(this.helpers);
		for (int h = 0; h < this.helpers; h++) {
			helping.add(this.executor.submit(worker));
		}
		worker.run();
		awaitAll(helping);
		double loss = this.losses[0];
		for (int chunk = 1; chunk < this.chunks; chunk++) {
			loss += this.losses[chunk];
			double[] partial = this.partials[chunk];
			for (int i = 0; i < gradient.length; i++) {
				gradient[i] += partial[i];
			}
		}
		double penalty = 0;
		int penalised = this.dimensions * this.classes;
		for (int i = 0; i < penalised; i++) {
			penalty += theta[i] * theta[i];
			gradient[i] += this.l2 * theta[i];
		}
		return loss + this.l2 / 2 * penalty;
	}

	/** Loss and gradient (into {@code target}, overwritten) of one chunk's blocks; {@code sums} is zero before and after. */
	private double chunk(int chunk, float[][] w, double[] target, float[][] scores, float[][] sums) {
		Arrays.fill(target, 0);
		double loss = 0;
		int firstBlock = (int) ((long) chunk * this.blocks / this.chunks);
		int lastBlock = (int) ((long) (chunk + 1) * this.blocks / this.chunks);
		for (int block = firstBlock; block < lastBlock; block++) {
			int from = block * BLOCK;
			int count = Math.min(BLOCK, this.vectors.length - from);
			SoftmaxKernels.scores(w, this.vectors, from, count, this.dimensions, scores);
			for (int b = 0; b < count; b++) {
				loss += lossAndSlopes(scores[b], this.labels[from + b], this.shares[from + b]);
			}
			SoftmaxKernels.accumulate(this.vectors, from, count, this.dimensions, scores, sums);
			if ((block - firstBlock + 1) % FLUSH_BLOCKS == 0 || block == lastBlock - 1) {
				SoftmaxKernels.flush(sums, target);
			}
		}
		return loss;
	}

	/**
	 * One example's share of the loss, {@code share · −log softmax(scores)[label]}, taken from the
	 * max-shifted scores (exact where the probability underflows); the scores are replaced by the
	 * loss's derivatives, {@code share · (probability − [c is the label])}. The probabilities are
	 * scaled by one reciprocal rather than divided one by one: C2 vectorises the product.
	 */
	private static double lossAndSlopes(float[] scores, int label, float share) {
		float max = Float.NEGATIVE_INFINITY;
		for (float s : scores) {
			max = Math.max(max, s);
		}
		double logit = scores[label] - max;
		double sum = 0;
		for (int c = 0; c < scores.length; c++) {
			double e = Math.exp(scores[c] - max);
			scores[c] = (float) e;
			sum += e;
		}
		float scale = (float) (share / sum);
		for (int c = 0; c < scores.length; c++) {
			scores[c] *= scale;
		}
		scores[label] -= share;
		return share * (Math.log(sum) - logit);
	}

	private double[] partial(int chunk) {
		// written by one thread per call; the executor's hand-over makes it visible to the caller
		if (this.partials[chunk] == null) {
			this.partials[chunk] = new double[parameterCount()];
		}
		return this.partials[chunk];
	}

	private static void awaitAll(List<Future<?>> helping) {
		boolean interrupted = false;
		RuntimeException failure = null;
		for (Future<?> f : helping) {
			while (true) {
				try {
					f.get();
					break;
				}
				catch (InterruptedException ex) {
					// the helpers write into this call's arrays: wait for them before giving up
					interrupted = true;
				}
				catch (ExecutionException ex) {
					failure = ex.getCause() instanceof RuntimeException r ? r : new IllegalStateException(ex.getCause());
					break;
				}
				catch (CancellationException ex) {
					failure = ex;
					break;
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		if (failure != null) {
			throw failure;
		}
	}

}
