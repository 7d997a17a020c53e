package dev.clara.shared.answers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.clara.shared.embedding.Vectors;

/**
 * Trains an {@link AnswerModel}: L2-regularised multinomial (softmax) logistic regression over the
 * frozen, unit-length sentence vectors, minimised full-batch with L-BFGS from zero weights, so the
 * same examples always give the same model (no randomness, hence no seed).
 *
 * <p>Out-of-scope examples (questions the owner does not answer) become one more class; each
 * weighs {@link Settings#outOfScopeWeight()} of an answer example, so they pull probability away
 * from the groups on questions like them.
 */
public final class AnswerModelTrainer {

	/**
	 * @param l2 the penalty {@code l2 / 2 · ‖W‖²} added to the mean cross-entropy (bias not penalised)
	 * @param maxIterations L-BFGS iterations at most
	 * @param tolerance stop when no gradient component exceeds it
	 * @param outOfScopeWeight weight of an out-of-scope example relative to an answer example
	 * @param threads threads that compute the objective (the calling one included); the model is
	 * the same for any number of threads
	 */
	public record Settings(double l2, int maxIterations, double tolerance, double outOfScopeWeight, int threads) {

		public Settings {
			if (!(l2 >= 0) || maxIterations < 1 || !(tolerance > 0) || !(outOfScopeWeight > 0) || threads < 1) {
				throw new IllegalArgumentException(
						"l2 >= 0, maxIterations >= 1, tolerance > 0, outOfScopeWeight > 0 and threads >= 1");
			}
		}

		/** With {@link #defaultThreads()}. */
		public Settings(double l2, int maxIterations, double tolerance, double outOfScopeWeight) {
			this(l2, maxIterations, tolerance, outOfScopeWeight, defaultThreads());
		}

		/**
		 * Two threads at most: the machines this runs on have two cores and share them with the
		 * embedding worker; a thread more than the cores free only adds switching.
		 */
		public static int defaultThreads() {
			return Math.min(2, Runtime.getRuntime().availableProcessors());
		}

		public Settings withThreads(int threads) {
			return new Settings(this.l2, this.maxIterations, this.tolerance, this.outOfScopeWeight, threads);
		}

		/**
		 * What the CLINC150 experiment chose on its tune half (evaluation/ANSWER_MODEL.md): l2
		 * 1e-5 on the full knowledge base; the small one chose 3e-5 to 1e-4, within 0.3 points.
		 */
		public static Settings defaults() {
			return new Settings(1e-5, 300, 1e-5, 1.0);
		}

	}

	/** One phrasing of an answer group: its sentence vector and the group's id. */
	public record Example(float[] vector, String groupId) {

		public Example {
			Objects.requireNonNull(vector, "vector");
			Objects.requireNonNull(groupId, "groupId");
		}

	}

	/**
	 * A trained model and how training went.
	 * @param evaluations of the objective, line search included: what the time is spent on
	 */
	public record Trained(AnswerModel model, int examples, int iterations, int evaluations, boolean converged,
			double loss, Duration took) {
	}

	private final Settings settings;

	public AnswerModelTrainer(Settings settings) {
		this.settings = Objects.requireNonNull(settings, "settings");
	}

	/**
	 * @param embeddingModelId the model that made every vector given
	 * @param examples at least one; groups are ordered by id, so the example order does not matter
	 * @param outOfScope vectors of questions that should not be answered (may be empty)
	 */
	public Trained train(String embeddingModelId, List<Example> examples, List<float[]> outOfScope) {
		return train(embeddingModelId, examples, outOfScope, null);
	}

	/**
	 * Trains starting from an earlier model's weights (a warm start: after a few pairs changed,
	 * L-BFGS then needs far fewer iterations). Groups the earlier model knows start from its
	 * weights, new ones from zero; an earlier model of another embedding model or dimension is
	 * ignored. The optimum is the same as from zero, within the tolerance.
	 * @param earlier the previous model of the workspace, or null
	 */
	public Trained train(String embeddingModelId, List<Example> examples, List<float[]> outOfScope, AnswerModel earlier) {
		long started = System.nanoTime();
		if (examples.isEmpty()) {
			throw new IllegalArgumentException("no examples to train on");
		}
		Map<String, Integer> classOf = new TreeMap<>();
		examples.forEach(e -> classOf.put(e.groupId(), 0));
		List<String> groupIds = new ArrayList<>(classOf.keySet());
		for (int g = 0; g < groupIds.size(); g++) {
			classOf.put(groupIds.get(g), g);
		}
		boolean outOfScopeClass = !outOfScope.isEmpty();
		int classes = groupIds.size() + (outOfScopeClass ? 1 : 0);
		int n = examples.size() + outOfScope.size();
		int dimensions = examples.get(0).vector().length;
		float[][] vectors = new float[n][];
		int[] labels = new int[n];
		float[] weights = new float[n];
		for (int i = 0; i < examples.size(); i++) {
			vectors[i] = unit(examples.get(i).vector(), dimensions);
			labels[i] = classOf.get(examples.get(i).groupId());
			weights[i] = 1;
		}
		for (int j = 0; j < outOfScope.size(); j++) {
			int i = examples.size() + j;
			vectors[i] = unit(outOfScope.get(j), dimensions);
			labels[i] = classes - 1;
			weights[i] = (float) this.settings.outOfScopeWeight();
		}
		double[] start = new double[(dimensions + 1) * classes];
		if (earlier != null && earlier.embeddingModelId().equals(embeddingModelId) && earlier.dimensions() == dimensions) {
			startFrom(earlier, groupIds, outOfScopeClass, dimensions, start);
		}
		int helpers = Math.min(this.settings.threads() - 1, (n - 1) / SoftmaxObjective.BLOCK);
		ExecutorService executor = helpers > 0 ? Executors.newFixedThreadPool(helpers, AnswerModelTrainer::helperThread) : null;
		Lbfgs.Outcome outcome;
		try {
			SoftmaxObjective objective = new SoftmaxObjective(vectors, labels, weights, classes, this.settings.l2(),
					executor, helpers);
			outcome = Lbfgs.minimise(objective::valueAndGradient, start, this.settings.maxIterations(),
					this.settings.tolerance());
		}
		finally {
			if (executor != null) {
				executor.shutdownNow();
			}
		}
		float[] modelWeights = new float[outcome.theta().length];
		for (int i = 0; i < modelWeights.length; i++) {
			modelWeights[i] = (float) outcome.theta()[i];
		}
		AnswerModel model = new AnswerModel(embeddingModelId, groupIds, outOfScopeClass, dimensions, modelWeights);
		return new Trained(model, n, outcome.iterations(), outcome.evaluations(), outcome.converged(), outcome.value(),
				Duration.ofNanos(System.nanoTime() - started));
	}

	private static Thread helperThread(Runnable task) {
		Thread thread = new Thread(task, "answer-model-training");
		// an abandoned training must not keep the JVM alive
		thread.setDaemon(true);
		return thread;
	}

	private static void startFrom(AnswerModel earlier, List<String> groupIds, boolean outOfScopeClass, int dimensions,
			double[] start) {
		int classes = groupIds.size() + (outOfScopeClass ? 1 : 0);
		int earlierClasses = earlier.classes();
		for (int c = 0; c < classes; c++) {
			int from = c < groupIds.size() ? earlier.groupIds().indexOf(groupIds.get(c))
					: earlier.hasOutOfScopeClass() ? earlierClasses - 1 : -1;
			if (from < 0) {
				continue;
			}
			for (int d = 0; d <= dimensions; d++) {
				start[d * classes + c] = earlier.weights()[d * earlierClasses + from];
			}
		}
	}

	private static float[] unit(float[] vector, int dimensions) {
		if (vector.length != dimensions) {
			throw new IllegalArgumentException("vectors differ in dimensions: " + vector.length + " vs " + dimensions);
		}
		return Vectors.normalize(vector);
	}

}
