package dev.clara.chat.search;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the chat turn searches the knowledge base and decides its best match. The defaults are the
 * combination measured best on CLINC150, full and small knowledge base, with the default model
 * bge-small-en-v1.5 (evaluation/, docs/quality.md): semantic search, the top hit.
 * {@code ./clara eval} switches them per chat-api instance to compare.
 *
 * @param strategy {@code semantic} (vector search alone) or {@code hybrid} (PostgreSQL
 * full-text search fused with the vector search by reciprocal rank)
 * @param bestMatch {@code top-1} (the first hit) or {@code vote} (the answer whose pairs among
 * the hits weigh most)
 * @param rrfK the constant k of reciprocal rank fusion, 1/(k + rank)
 * @param candidates how many candidates each half of the hybrid search ranks before fusion
 * @param voteCount how many of the best hits vote (at least the chat turn's search count)
 * @param memoryPairs how many Q&A pairs, over all workspaces, chat-api keeps in memory for the
 * semantic search (about 1.6 kB each with bge-small's 384 dimensions, plus their text); 0 searches
 * the database on every turn
 */
@ConfigurationProperties("clara.chat.search")
public record SearchProperties(@DefaultValue("semantic") Strategy strategy, @DefaultValue("top-1") BestMatch bestMatch,
		@DefaultValue("60") int rrfK, @DefaultValue("20") int candidates, @DefaultValue("5") int voteCount,
		@DefaultValue("20000") int memoryPairs) {

	public SearchProperties {
		if (rrfK < 1 || candidates < 1 || voteCount < 1) {
			throw new IllegalArgumentException("clara.chat.search: rrf-k, candidates and vote-count must be at least 1");
		}
		if (memoryPairs < 0) {
			throw new IllegalArgumentException("clara.chat.search: memory-pairs must be 0 or more");
		}
	}

	/** How candidates are found and ordered. */
	public enum Strategy {

		/** Cosine similarity of the question's embedding alone. */
		SEMANTIC,

		/** Full-text (lexical) and vector (semantic) candidates fused by reciprocal rank. */
		HYBRID

	}

	/** Which hit answers. */
	public enum BestMatch {

		/** The first hit of the search's order. */
		TOP_1,

		/** The answer whose hits weigh most in total (similarity, or fused score when hybrid). */
		VOTE

	}

}
