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

	default float[] embed(String text) {
		return embedAll(List.of(text)).get(0);
	}

}
