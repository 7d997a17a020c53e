package dev.clara.chat.passages;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the chat turn searches and cites the owner's documents when no Q&A pair answers. The defaults
 * were chosen on the tuning articles of the documents benchmark ({@code ./clara eval documents},
 * docs/quality.md).
 *
 * @param strategy {@code hybrid}: the passages' full-text ranking fused with the vector ranking
 * (reciprocal rank), or {@code vector}: cosine similarity alone
 * @param extractiveCitations how many passages an answer without an LLM cites: the best passage's
 * sentence window first, then the next passages whole, best first (at most the chat turn's search
 * count); 1 cites only the passage the answer is
 */
@ConfigurationProperties("clara.chat.passages")
public record PassageProperties(@DefaultValue("hybrid") Strategy strategy,
		@DefaultValue("1") int extractiveCitations) {

	public PassageProperties {
		if (extractiveCitations < 1) {
			throw new IllegalArgumentException("clara.chat.passages.extractive-citations must be at least 1");
		}
	}

	/** How the passages are found and ordered. */
	public enum Strategy {

		/** Full-text and vector rankings fused by reciprocal rank. */
		HYBRID,

		/** The question's embedding alone. */
		VECTOR

	}

}
