package dev.clara.chat.turn;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.clara.shared.embedding.EmbeddingProvider;

/**
 * A question's embedding started when its request was claimed, before the checks that read the
 * workspace's settings and the visitor's conversation: on one client, those round trips to the
 * database then cost no time of their own. The turn takes it when its workspace searches with the
 * model it was made with; otherwise (a workspace still on its previous model, a remote provider,
 * a follower of a retried message) the turn embeds as before.
 */
record EarlyEmbedding(String model, CompletableFuture<EmbeddingProvider.Embedded> embedded) {

	/** No early embedding: the turn embeds the question itself. */
	static final EarlyEmbedding NONE = new EarlyEmbedding(null, null);

	boolean madeWith(String searchModel) {
		return this.model != null && this.model.equals(searchModel);
	}

	/** Waits for the embedding; its failure is thrown as the turn's own embedding would have thrown it. */
	EmbeddingProvider.Embedded join() {
		try {
			return this.embedded.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw ex;
		}
	}

}
