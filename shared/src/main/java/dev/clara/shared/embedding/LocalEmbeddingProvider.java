package dev.clara.shared.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;

/**
 * In-process embeddings with LangChain4j's quantised ONNX models: no network, no key, 384
 * dimensions. The model files ship inside the LangChain4j jars, so this works offline.
 *
 * <p>Similarity scales differ by model (an unrelated pair scores about 0.0 with MiniLM and about
 * 0.4 with BGE), which is why confidence thresholds are per model.
 *
 * <p>Thread-safe: the ONNX session is shared and safe for concurrent use. The model's default
 * executor is used on purpose: its pool threads time out after a second idle, so it never keeps
 * the JVM alive and needs no shutdown. Texts longer than the model's 512-token window are not
 * rejected: LangChain4j embeds them in 510-token windows and averages the windows.
 */
public final class LocalEmbeddingProvider implements EmbeddingProvider, AutoCloseable {

	/** Model id of sentence-transformers all-MiniLM-L6-v2, quantised (mean pooling). */
	public static final String ALL_MINILM_L6_V2_Q = "all-minilm-l6-v2-q";

	/** Model id of BAAI bge-small-en-v1.5, quantised (CLS pooling). */
	public static final String BGE_SMALL_EN_V15_Q = "bge-small-en-v1.5-q";

	/** Dimensions of both local models. */
	public static final int DIMENSIONS = 384;

	// suppliers, so only the model asked for is loaded (each loads its ONNX file in a static initialiser)
	private static final Map<String, Supplier<EmbeddingModel>> MODELS = Map.of(ALL_MINILM_L6_V2_Q,
			AllMiniLmL6V2QuantizedEmbeddingModel::new, BGE_SMALL_EN_V15_Q, BgeSmallEnV15QuantizedEmbeddingModel::new);

	private final String modelId;

	private final EmbeddingModel model;

	/**
	 * Loads the model (under a second; the first use of a model class also unpacks DJL's
	 * tokenizer library into {@code ~/.djl.ai}, or {@code DJL_CACHE_DIR}).
	 * @param modelId {@link #ALL_MINILM_L6_V2_Q} or {@link #BGE_SMALL_EN_V15_Q}
	 * @throws IllegalArgumentException for any other model id
	 */
	public LocalEmbeddingProvider(String modelId) {
		Supplier<EmbeddingModel> factory = MODELS.get(Objects.requireNonNull(modelId, "modelId"));
		if (factory == null) {
			throw new IllegalArgumentException(
					"Unknown local embedding model '" + modelId + "'; known: " + modelIds());
		}
		this.modelId = modelId;
		this.model = factory.get();
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
		List<TextSegment> segments = new ArrayList<>(texts.size());
		for (String text : texts) {
			segments.add(TextSegment.from(text));
		}
		List<Embedding> embeddings;
		try {
			embeddings = this.model.embedAll(segments).content();
		}
		catch (RuntimeException ex) {
			throw new EmbeddingException("local model " + this.modelId + " failed: " + ex.getMessage(), false, ex);
		}
		List<float[]> vectors = new ArrayList<>(embeddings.size());
		for (Embedding embedding : embeddings) {
			// LangChain4j already normalises; doing it again is cheap and makes the contract ours
			vectors.add(Vectors.normalize(embedding.vector()));
		}
		return vectors;
	}

	/** Nothing to release: the model is shared per JVM and its pool threads time out by themselves. */
	@Override
	public void close() {
	}

	@Override
	public String toString() {
		return "LocalEmbeddingProvider[" + this.modelId + "]";
	}

}
