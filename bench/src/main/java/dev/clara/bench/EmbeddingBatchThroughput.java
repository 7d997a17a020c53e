package dev.clara.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.EmbeddingProviders;
import dev.clara.shared.embedding.EmbeddingSettings;

/**
 * Embeddings per second of the in-process model for the batch sizes the worker can use, and for
 * chat-api's case (8 callers at once, one text each). Arguments: [model] [texts per batch size].
 *
 * <p>The model runs as the embedding worker runs it by default; {@code CLARA_EMBEDDING_LOCAL_*}
 * (or {@code -Dclara.embedding.local.*}) set it otherwise, as in a service. Besides the wall-clock
 * rate it prints the rate per CPU-second of this process, which a shared, loaded machine disturbs
 * less, and the process's resident memory after loading the model and at the end.
 */
public class EmbeddingBatchThroughput {

	/** The embedding worker's defaults (its application.properties). */
	private static final String WORKER_INTRA_OP_THREADS = "1";

	private static final String WORKER_PARALLEL_RUNS = "cores";

	public static void main(String[] args) throws Exception {
		String model = args.length > 0 ? args[0] : "all-minilm-l6-v2-q";
		int texts = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
		EmbeddingSettings settings = EmbeddingSettings.from(name -> property(name, switch (name) {
			case "clara.embedding.local.intra-op-threads" -> WORKER_INTRA_OP_THREADS;
			case "clara.embedding.local.parallel-runs" -> WORKER_PARALLEL_RUNS;
			default -> null;
		}));
		settings = EmbeddingSettings.local(model, settings.local());
		EmbeddingProvider provider = EmbeddingProviders.create(settings);
		System.out.printf("%s on %d cores, %s%n", model, Runtime.getRuntime().availableProcessors(), settings.local());
		memory("after loading the model");
		List<String> corpus = new ArrayList<>();
		for (int i = 0; i < texts; i++) {
			corpus.add("How do I configure option " + i + " of the billing settings for a team of " + (i % 50) + "?");
		}
		provider.embedAll(corpus.subList(0, 64)); // warm-up
		for (int batch : new int[] { 1, 16, 64 }) {
			long start = System.nanoTime();
			long cpu = cpuNanos();
			for (int from = 0; from < texts; from += batch) {
				provider.embedAll(corpus.subList(from, Math.min(texts, from + batch)));
			}
			report(model + " batch " + String.format("%3d", batch), texts, start, cpu);
		}
		concurrentSingles(provider, corpus, model);
		memory("after the benchmark");
		System.exit(0);
	}

	/** chat-api's load: 8 requests at once, each embedding its one question. */
	private static void concurrentSingles(EmbeddingProvider provider, List<String> corpus, String model)
			throws Exception {
		int callers = 8;
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			List<Callable<Void>> calls = new ArrayList<>();
			for (int caller = 0; caller < callers; caller++) {
				int first = caller;
				calls.add(() -> {
					for (int i = first; i < corpus.size(); i += callers) {
						provider.embed(corpus.get(i));
					}
					return null;
				});
			}
			long start = System.nanoTime();
			long cpu = cpuNanos();
			for (Future<Void> call : pool.invokeAll(calls)) {
				call.get();
			}
			report(model + " 8 callers x 1", corpus.size(), start, cpu);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static void report(String label, int texts, long start, long cpuStart) {
		double seconds = (System.nanoTime() - start) / 1e9;
		double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
		System.out.printf("%s: %.0f embeddings/s (%.0f per CPU-second)%n", label, texts / seconds, texts / cpuSeconds);
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/** VmRSS (resident now) and VmHWM (the most ever resident) of this process, from Linux's /proc. */
	private static void memory(String when) {
		try {
			String rss = "?";
			String hwm = "?";
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					rss = line.substring(6).strip();
				}
				else if (line.startsWith("VmHWM:")) {
					hwm = line.substring(6).strip();
				}
			}
			System.out.printf("memory %s: VmRSS %s, VmHWM %s%n", when, rss, hwm);
		}
		catch (IOException ex) {
			System.out.printf("memory %s: /proc/self/status unreadable (%s)%n", when, ex.getMessage());
		}
	}

	/** A system property, else its environment variable (CLARA_EMBEDDING_LOCAL_...), else the default. */
	private static String property(String name, String fallback) {
		String value = System.getProperty(name);
		if (value == null) {
			value = System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
		}
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
