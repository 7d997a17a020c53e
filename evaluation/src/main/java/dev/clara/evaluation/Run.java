package dev.clara.evaluation;

import java.util.List;

/**
 * The answers of one configuration on one knowledge base, with how they were obtained.
 *
 * @param model the embedding model (chat-api and worker {@code clara.embedding.model})
 * @param strategy {@code clara.chat.search.strategy} of the chat-api that answered
 * @param bestMatch {@code top-1}, or {@code vote-N} for a vote over the N best hits
 * ({@code clara.chat.search.best-match} and {@code vote-count} of the chat-api that answered)
 * @param knowledgeBase {@code full} or {@code small}
 * @param pairs Q&A pairs in the workspace
 * @param importPath how the pairs got in (the owner API's CSV import, or the SQL fallback)
 * @param deployedThreshold the model's {@code embedding_models.confidence_threshold} while asking
 * @param questionsPerSecond how fast the chat API answered
 */
record Run(String model, String strategy, String bestMatch, String knowledgeBase, String workspace, long pairs,
		String importPath, double deployedThreshold, String askedAt, double questionsPerSecond,
		List<Metrics.Answer> answers) {

	String config() {
		return this.model + " / " + this.strategy + " / " + this.bestMatch;
	}

}
