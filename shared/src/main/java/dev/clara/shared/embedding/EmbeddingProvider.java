package dev.clara.shared.embedding;

import java.util.List;

/**
 * Turns texts into unit-length vectors, so that cosine similarity is their dot product. The chat
 * turn embeds one question; the embedding worker embeds batches.
 */
public interface EmbeddingProvider {

	/** The model id stored beside every vector this provider makes (see {@code embedding_models}). */
	String modelId();

	/** Length of every vector this provider returns. */
	int dimensions();

	/**
	 * One vector per text, in order. Throws {@link EmbeddingException} when the provider fails
	 * (see {@link EmbeddingException#retryable()}) and {@link IllegalArgumentException} for a null
	 * or blank text. An empty list gives an empty list without calling the provider.
	 */
	List<float[]> embedAll(List<String> texts);

	/**
	 * As {@link #embedAll}, with the tokens the provider billed for the call, so that a caller
	 * acting for a workspace can record them; an in-process model bills none.
	 */
	default Embedded embedAllCounted(List<String> texts) {
		return new Embedded(embedAll(texts), 0);
	}

	/**
	 * Whether calls are billed per request (a remote provider): a caller acting for several
	 * workspaces then calls once per workspace, so each is charged exactly what it used.
	 */
	default boolean billed() {
		return false;
	}

	/** Vectors with the tokens billed for them (0 when the model runs in-process). */
	record Embedded(List<float[]> vectors, long tokens) {
	}

	default float[] embed(String text) {
		return embedAll(List.of(text)).get(0);
	}

}
