package dev.clara.evaluation.documents;

import java.util.List;

/**
 * The answers of one configuration, with how they were obtained.
 *
 * @param model the embedding model (chat-api and worker {@code clara.embedding.model})
 * @param chunking the worker's {@code clara.documents.chunk-chars}/{@code overlap-chars}, as {@code 1000/200}
 * @param strategy the chat-api's {@code clara.chat.passages.strategy}
 * @param mode {@code sweep}: asked with the model's passage threshold at 0, so every question gets
 * its passages and the figures at any threshold follow from the confidences; {@code deployed}: asked
 * at the model's threshold as migrated, the product as it ships
 * @param deployedThreshold the model's {@code embedding_models.passage_threshold} as migrated
 * @param chunks chunks of the ten documents
 * @param ingestSeconds from the first upload until every document was ready
 */
record DocumentRun(String model, String chunking, String strategy, String mode, double deployedThreshold,
		long chunks, double ingestSeconds, String askedAt, double questionsPerSecond, List<DocumentAnswer> answers) {

	static final String SWEEP = "sweep";

	static final String DEPLOYED = "deployed";

	String config() {
		return this.model + " / " + this.chunking + " / " + this.strategy;
	}

	String fileName() {
		return String.join("__", this.model, this.chunking.replace('/', '-'), this.strategy, this.mode) + ".json";
	}

}
