package dev.clara.shared.events;

import java.time.Instant;

/**
 * A workspace has a new answer model: written to the outbox by the trainer in the transaction
 * that stores it, relayed to the answer models topic. The chat turn does not need it (it sees the
 * new version with the workspace's settings); it is there for whoever watches the knowledge base,
 * such as the owner dashboard.
 *
 * @param version the model's version in {@code answer_models}, 1 for the first
 * @param embeddingModel the embedding model whose vectors it was trained on
 * @param pairCount the phrasings (pairs) it saw
 * @param groupCount the answer groups it predicts
 * @param outOfScopeCount the out-of-scope examples (dismissed gaps) it saw
 * @param iterations optimiser iterations
 * @param trainingMs how long training took
 * @param trainedAt when it was stored
 */
public record AnswerModelTrained(int version, String embeddingModel, int pairCount, int groupCount,
		int outOfScopeCount, int iterations, long trainingMs, Instant trainedAt) {

	public static final String TYPE = "AnswerModelTrained";

	public static final int VERSION = 1;

}
