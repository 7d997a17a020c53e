package dev.clara.shared.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A Q&A pair's content changed (created, edited, deactivated, deleted), from change data capture,
 * on the Q&A changes topic the embedding worker consumes. Writes of the embedding columns alone
 * are not published: they change nothing a consumer acts on, and would loop.
 *
 * @param qaPairId the {@code qa_pairs} row
 * @param operation {@code created}, {@code updated} or {@code deleted}
 * @param question the question now (null when deleted)
 * @param previousQuestion the question before an update (null otherwise)
 * @param active whether the pair is active now (false when deleted)
 * @param embeddingModel the model of the vector the row holds now, or null when it has none
 * @param contentUpdatedAt the row's {@code updated_at} after the change
 * @param sourceLsn the WAL position of the change, for ordering and deduplication
 */
public record QaPairChanged(UUID qaPairId, String operation, String question, String previousQuestion,
		boolean active, String embeddingModel, Instant contentUpdatedAt, long sourceLsn) {

	public static final String TYPE = "QaPairChanged";

	public static final int VERSION = 1;

	public static final String CREATED = "created";

	public static final String UPDATED = "updated";

	public static final String DELETED = "deleted";

}
