package dev.clara.shared.embedding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ai.onnxruntime.OrtException;

/**
 * In-process embeddings with the quantised ONNX models that ship in LangChain4j's jars: no
 * network, no key, 384 dimensions. Works offline.
 *
 * <p>Similarity scales differ by model (an unrelated pair scores about 0.0 with MiniLM and about
 * 0.4 with BGE), which is why confidence thresholds are per model.
 *
 * <p>Each text is its own model run, never padded into a run with others: the models quantise
 * their activations to int8 with one scale per tensor, so texts sharing a run shift each other's
 * vectors (measured: cosine down to 0.987), and every stored vector would stop matching. A batch
 * is fast instead by running {@link LocalRuntime#parallelRuns()} texts at once, each on its own
 * core, with no padding at all. Texts longer than the model's 512-token window are not rejected:
 * they are embedded in 510-token windows whose vectors are averaged, as LangChain4j did (the
 * vectors are those LangChain4j's model classes made; a test holds them to it).
 *
 * <p>Thread-safe: the model is loaded once per process (per model and ONNX session setting) and
 * shared; concurrent callers run it side by side. How many threads a run uses is the service's
 * {@link LocalRuntime}.
 */
public final class LocalEmbeddingProvider implements EmbeddingProvider, AutoCloseable {

	/** Model id of sentence-transformers all-MiniLM-L6-v2, quantised (mean pooling). */
	public static final String ALL_MINILM_L6_V2_Q = "all-minilm-l6-v2-q";

	/** Model id of BAAI bge-small-en-v1.5, quantised (CLS pooling). */
	public static final String BGE_SMALL_EN_V15_Q = "bge-small-en-v1.5-q";

	/** Dimensions of both local models. */
	public static final int DIMENSIONS = 384;

	/** Model id to its file in the LangChain4j jar and whether it pools by the mean. */
	private static final Map<String, Boolean> MEAN_POOLING = Map.of(ALL_MINILM_L6_V2_Q, true, BGE_SMALL_EN_V15_Q,
			false);

	private final String modelId;

	private final LocalRuntime runtime;

	private final LocalModel model;

	private final ExecutorService runs;

	/** The model with {@link LocalRuntime#defaults()}. */
	public LocalEmbeddingProvider(String modelId) {
		this(modelId, LocalRuntime.defaults());
	}

	/**
	 * Loads the model, or takes the process's already loaded one (under a second; the first use
	 * also unpacks DJL's tokenizer library into {@code ~/.djl.ai}, or {@code DJL_CACHE_DIR}).
	 * @param modelId {@link #ALL_MINILM_L6_V2_Q} or {@link #BGE_SMALL_EN_V15_Q}
	 * @param runtime how the model uses the CPU (the service's {@code clara.embedding.local.*})
	 * @throws IllegalArgumentException for any other model id
	 */
	public LocalEmbeddingProvider(String modelId, LocalRuntime runtime) {
		Boolean meanPooling = MEAN_POOLING.get(Objects.requireNonNull(modelId, "modelId"));
		if (meanPooling == null) {
			throw new IllegalArgumentException(
					"Unknown local embedding model '" + modelId + "'; known: " + modelIds());
		}
		this.modelId = modelId;
		this.runtime = Objects.requireNonNull(runtime, "runtime");
		this.model = LocalModel.of(modelId, meanPooling, runtime);
		this.runs = (runtime.parallelRuns() > 1) ? runPool(runtime.parallelRuns() - 1) : null;
	}

	/** The model ids this provider can load. */
	public static Set<String> modelIds() {
		return Set.of(ALL_MINILM_L6_V2_Q, BGE_SMALL_EN_V15_Q);
	}

	@Override
	public String modelId() {
		return this.modelId;
	}

	@Override
	public int dimensions() {
		return DIMENSIONS;
	}

	/** How this provider uses the CPU. */
	public LocalRuntime runtime() {
		return this.runtime;
	}

	/**
	 * @throws IllegalArgumentException when a text is null or blank (it has no meaning to embed)
	 * @throws EmbeddingException when the ONNX runtime fails (not retryable: same input, same failure)
	 */
	@Override
	public List<float[]> embedAll(List<String> texts) {
		TextChecks.requireEmbeddable(texts);
		if (texts.isEmpty()) {
			return List.of();
		}
		try {
			return embedChecked(texts);
		}
		catch (RuntimeException ex) {
			Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
			throw new EmbeddingException("local model " + this.modelId + " failed: " + cause.getMessage(), false, cause);
		}
	}

	private List<float[]> embedChecked(List<String> texts) {
		float[][] vectors = new float[texts.size()][];
		AtomicInteger next = new AtomicInteger();
		Runnable worker = () -> {
			try {
				for (int text = next.getAndIncrement(); text < texts.size(); text = next.getAndIncrement()) {
					vectors[text] = embedOne(texts.get(text));
				}
			}
			catch (RuntimeException ex) {
				next.set(texts.size()); // the others stop too: the call fails anyway
				throw ex;
			}
		};
		int helpers = (this.runs == null) ? 0 : Math.min(this.runtime.parallelRuns() - 1, texts.size() - 1);
		List<CompletableFuture<Void>> pending = new ArrayList<>(helpers);
		for (int i = 0; i < helpers; i++) {
			pending.add(CompletableFuture.runAsync(worker, this.runs));
		}
		try {
			worker.run(); // the caller's thread takes its share too
		}
		finally {
			// the helpers' writes to vectors happen before join() returns
			CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
		}
		return Arrays.asList(vectors);
	}

	/** A text's windows, each in a model run of its own, averaged and normalised. */
	private float[] embedOne(String text) {
		List<WordPieceWindows.Window> windows = WordPieceWindows.of(this.model.tokenizer(), text);
		List<float[]> pooled = new ArrayList<>(windows.size());
		for (WordPieceWindows.Window window : windows) {
			try {
				pooled.add(this.model.run(window.ids()));
			}
			catch (OrtException ex) {
				throw new IllegalStateException(ex.getMessage(), ex);
			}
		}
		return Vectors.normalize(Pooling.weightedAverage(windows, pooled));
	}

	/** Daemon threads that end after a minute idle, so the pool never keeps a JVM alive or needs closing. */
	private static ExecutorService runPool(int threads) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), task -> {
					Thread thread = new Thread(task, "clara-embedding-run");
					thread.setDaemon(true);
					return thread;
				});
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/** Nothing to release: the model is shared per process and the run threads end when idle. */
	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return "LocalEmbeddingProvider[" + this.modelId + ", " + this.runtime + "]";
	}

}
