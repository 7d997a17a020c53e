package dev.clara.shared.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A document version finished ingestion: {@code ready} (its chunks are embedded and now answer
 * questions in place of the previous version's) or {@code failed} (with the reason the owner
 * sees). Written to the outbox by the embedding worker in the transaction that sets the status,
 * once per version; relayed to the document ingestion topic, where the gap detector re-scores
 * open gaps against the new chunks.
 *
 * @param documentId the {@code documents} row
 * @param version the version ingested
 * @param status {@code ready} or {@code failed}
 * @param chunkCount chunks of the version (0 when failed)
 * @param embeddingModel the model of the chunks' vectors (null when failed)
 * @param failureReason why the document could not be read (null when ready)
 * @param finishedAt when the status was set
 */
public record DocumentIngested(UUID documentId, int version, String status, int chunkCount, String embeddingModel,
		String failureReason, Instant finishedAt) {

	public static final String TYPE = "DocumentIngested";

	public static final int VERSION = 1;

	public static final String READY = "ready";

	public static final String FAILED = "failed";

}
