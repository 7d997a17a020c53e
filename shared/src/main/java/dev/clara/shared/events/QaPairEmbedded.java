package dev.clara.shared.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A Q&A pair got a vector of its current text: written to the outbox by the embedding worker in
 * the transaction that stores the vector, and relayed to the Q&A changes topic. The gap detector
 * re-scores the workspace's open gaps against the pair when it sees one.
 *
 * @param qaPairId the {@code qa_pairs} row
 * @param question the text the vector was made of
 * @param embeddingModel the model that made it
 * @param embeddedAt when the vector was written
 */
public record QaPairEmbedded(UUID qaPairId, String question, String embeddingModel, Instant embeddedAt) {

	public static final String TYPE = "QaPairEmbedded";

	public static final int VERSION = 1;

}
