package dev.clara.evaluation;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.AnswerModelHealth;
import dev.clara.shared.answers.AnswerModelHealth.Phrasing;
import dev.clara.shared.answers.AnswerModelHealth.Report;
import dev.clara.shared.answers.AnswerModelTrainer;
import dev.clara.shared.answers.AnswerModelTrainer.Example;
import dev.clara.shared.answers.AnswerModelTrainer.Settings;
import dev.clara.shared.embedding.LocalEmbeddingProvider;
import dev.clara.shared.embedding.Vectors;

/**
 * Training time and heap for 1,000 / 15,000 / 50,000 pairs: a subset of the full knowledge base,
 * the full one, and the full one three times more with small noise added to each vector (σ
 * {@value #NOISE} per dimension, then normalised). Heap: the largest used heap sampled every
 * {@value #SAMPLE_MILLIS} ms during training, minus the used heap after a forced GC just before,
 * so it includes garbage not yet collected (an upper bound of what training needs).
 */
final class TrainingCost {

	static final double NOISE = 0.01;

	static final long SAMPLE_MILLIS = 5;

	static final int MAX_ITERATIONS = 300;

	private TrainingCost() {
	}

	/** @param groupName a readable name for a group id (the health check's confused pairs) */
	static void report(List<Example> full, List<float[]> outOfScope, Consumer<String> lines, List<Integer> sizes,
			List<String> learners, double l2, Function<String, String> groupName) throws InterruptedException {
		lines.accept("| pairs | learner | training time, wall clock (CPU of the training thread; CPU of the whole JVM) | extra heap during training (peak sampled) | max heap of this JVM | answer model |");
		lines.accept("|---|---|---|---|---|---|");
		for (int size : sizes) {
			List<Example> examples = sized(full, size);
			for (String learner : learners) {
				// name[:threads[:tolerance]]
				String[] spec = learner.split(":");
				Settings settings = new Settings(l2, MAX_ITERATIONS, spec.length > 2 ? Double.parseDouble(spec[2]) : 1e-5, 1.0,
						spec.length > 1 ? Integer.parseInt(spec[1]) : Settings.defaultThreads());
				if (spec[0].equals("answer-model-warm")) {
					warm(examples, outOfScope, lines, settings);
					continue;
				}
				if (spec[0].startsWith("health")) {
					health(examples, outOfScope, lines, settings, !spec[0].equals("health-cold"), groupName);
					continue;
				}
				AtomicReference<AnswerModelTrainer.Trained> trained = new AtomicReference<>();
				Runnable training = spec[0].equals("liblinear") ? () -> LiblinearBaseline.train(examples, l2)
						: () -> trained.set(new AnswerModelTrainer(settings).train(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q, examples, outOfScope));
				long[] measured = measure(training);
				lines.accept(row(size, learner, measured, trained.get(), examples));
			}
		}
	}

	/**
	 * The warm start as the product uses it: a model of 90 % of the pairs (every tenth left out),
	 * then all pairs trained from that model; both trainings are reported.
	 */
	private static void warm(List<Example> examples, List<float[]> outOfScope, Consumer<String> lines, Settings settings)
			throws InterruptedException {
		AnswerModelTrainer trainer = new AnswerModelTrainer(settings);
		List<Example> most = new ArrayList<>(examples.size());
		for (int i = 0; i < examples.size(); i++) {
			if (i % 10 != 9) {
				most.add(examples.get(i));
			}
		}
		AtomicReference<AnswerModelTrainer.Trained> earlier = new AtomicReference<>();
		long[] measured = measure(() -> earlier.set(trainer.train(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q, most, outOfScope)));
		lines.accept(row(most.size(), "answer-model, 90 % of the pairs, from zero", measured, earlier.get(), most));
		AtomicReference<AnswerModelTrainer.Trained> trained = new AtomicReference<>();
		measured = measure(() -> trained.set(trainer.train(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q, examples, outOfScope,
				earlier.get().model())));
		lines.accept(row(examples.size(), "answer-model, all pairs, warm from the 90 % model", measured, trained.get(), examples));
	}

	/**
	 * The knowledge-base health check as the product would run it: the model of all pairs (trained
	 * from zero at tolerance 1e-5, reported as well), then 5-fold cross-validation warm from it
	 * with the given settings (a looser tolerance is enough to tell where a phrasing lands).
	 */
	private static void health(List<Example> examples, List<float[]> outOfScope, Consumer<String> lines,
			Settings settings, boolean warm, Function<String, String> groupName) throws InterruptedException {
		Settings fullSettings = new Settings(settings.l2(), MAX_ITERATIONS, 1e-5, 1.0, settings.threads());
		AtomicReference<AnswerModelTrainer.Trained> full = new AtomicReference<>();
		long[] measured = measure(() -> full.set(new AnswerModelTrainer(fullSettings).train(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q, examples, outOfScope)));
		lines.accept(row(examples.size(), "answer-model, from zero", measured, full.get(), examples));
		List<Phrasing<Integer>> phrasings = new ArrayList<>(examples.size());
		for (int i = 0; i < examples.size(); i++) {
			phrasings.add(new Phrasing<>(i, examples.get(i).vector(), examples.get(i).groupId()));
		}
		AtomicReference<Report<Integer>> report = new AtomicReference<>();
		measured = measure(() -> report.set(new AnswerModelHealth(new AnswerModelTrainer(settings),
				new AnswerModelHealth.Settings(5, AnswerModelHealth.Settings.defaults().seed(), 20, warm))
			.check(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q, phrasings, outOfScope, full.get().model())));
		Report<Integer> r = report.get();
		lines.accept(String.format("| %,d | health, %d folds %s, tolerance %s | %.1f s (CPU %.1f s; JVM %.1f s) | %d MB | %d MB | "
				+ "%d iterations (%d evaluations) in all; cross-validated accuracy %.2f %% of %d, %d misplaced, %d groups not checked; most confused: %s |",
				examples.size(), r.folds(), warm ? "warm from that model" : "from zero", settings.tolerance(), measured[0] / 1e9, measured[2] / 1e9, measured[3] / 1e9, measured[1] >> 20,
				Runtime.getRuntime().maxMemory() >> 20, r.iterations(), r.evaluations(), 100 * r.accuracy(), r.checked(), r.misplaced().size(),
				r.uncheckedGroupIds().size(), r.confusions().stream().limit(3)
					.map(c -> String.format("%s / %s %d+%d", groupName.apply(c.firstGroupId()), groupName.apply(c.secondGroupId()),
							c.firstAsSecond(), c.secondAsFirst()))
					.toList()));
	}

	private static String row(int size, String learner, long[] measured, AnswerModelTrainer.Trained trained, List<Example> examples) {
		String detail = trained == null ? "" : String.format("%d iterations (%d evaluations), converged %s, loss %.6f; predict %.0f µs, stored %d kB, SHA-256 %s",
				trained.iterations(), trained.evaluations(), trained.converged(), trained.loss(), predictMicros(trained.model(), examples),
				trained.model().toBytes().length >> 10, sha256(trained.model().toBytes()));
		return String.format("| %,d | %s | %.1f s (CPU %.1f s; JVM %.1f s) | %d MB | %d MB | %s |", size, learner, measured[0] / 1e9,
				measured[2] / 1e9, measured[3] / 1e9, measured[1] >> 20, Runtime.getRuntime().maxMemory() >> 20, detail);
	}

	/** Median time of one prediction over the examples' vectors, after a warm-up. */
	static double predictMicros(AnswerModel model, List<Example> examples) {
		int calls = Math.min(2_000, examples.size());
		for (int i = 0; i < calls * 5; i++) {
			model.predict(examples.get(i % calls).vector());
		}
		long[] nanos = new long[calls];
		for (int i = 0; i < calls; i++) {
			long started = System.nanoTime();
			model.predict(examples.get(i).vector());
			nanos[i] = System.nanoTime() - started;
		}
		Arrays.sort(nanos);
		return nanos[calls / 2] / 1e3;
	}

	static List<Example> sized(List<Example> full, int size) {
		if (size <= full.size()) {
			int stride = full.size() / size;
			List<Example> subset = new ArrayList<>(size);
			for (int i = 0; i < full.size() && subset.size() < size; i += stride) {
				subset.add(full.get(i));
			}
			return subset;
		}
		Random random = new Random(50_000);
		List<Example> grown = new ArrayList<>(full);
		while (grown.size() < size) {
			Example e = full.get(grown.size() % full.size());
			float[] noisy = e.vector().clone();
			for (int d = 0; d < noisy.length; d++) {
				noisy[d] += (float) (NOISE * random.nextGaussian());
			}
			grown.add(new Example(Vectors.normalize(noisy), e.groupId()));
		}
		return grown;
	}

	/**
	 * {wall-clock nanoseconds, peak extra heap bytes, CPU nanoseconds of the training thread, CPU
	 * nanoseconds of the whole JVM} of one run: the JVM's figure counts training threads other than
	 * the caller's (and the JIT, GC and heap sampler), so it is the one to compare across thread counts.
	 */
	private static long[] measure(Runnable training) throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.gc();
		long baseline = memory.getHeapMemoryUsage().getUsed();
		AtomicLong peak = new AtomicLong(baseline);
		Supplier<Long> used = () -> memory.getHeapMemoryUsage().getUsed();
		Thread sampler = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				peak.accumulateAndGet(used.get(), Math::max);
				try {
					Thread.sleep(SAMPLE_MILLIS);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		});
		sampler.setDaemon(true);
		sampler.start();
		long started = System.nanoTime();
		long cpuStarted = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
		long jvmStarted = jvmCpuNanos();
		training.run();
		long took = System.nanoTime() - started;
		long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStarted;
		long jvm = jvmCpuNanos() - jvmStarted;
		sampler.interrupt();
		sampler.join();
		peak.accumulateAndGet(used.get(), Math::max);
		return new long[] { took, peak.get() - baseline, cpu, jvm };
	}

	/** The start of the stored model's SHA-256: equal models, equal bytes (e.g. across thread counts). */
	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static long jvmCpuNanos() {
		return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
				? os.getProcessCpuTime() : -1;
	}

}
