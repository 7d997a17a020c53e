package dev.clara.shared.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A CSV import of Q&A pairs moved on: queued, counted and started, a batch committed, completed or
 * failed. Written to the outbox by chat-api in the owner's transaction that changed the job (so a
 * batch's event commits with the batch), relayed to the imports topic. The import runs on one
 * chat-api replica; this event is how the owner's live updates on any replica hear of it.
 *
 * @param importId the {@code qa_import_jobs} row
 * @param status {@code queued}, {@code running}, {@code completed} or {@code failed}
 * @param totalRows the file's data rows, null until they are counted
 * @param processedRows rows done so far (imported, duplicate or invalid)
 * @param importedRows rows that became Q&A pairs
 * @param duplicateRows rows whose question the knowledge base (or the file) already had
 * @param invalidRows rows that could not be imported
 * @param reportedAt when the job reached this state
 */
public record ImportProgressed(UUID importId, String status, Integer totalRows, int processedRows, int importedRows,
		int duplicateRows, int invalidRows, Instant reportedAt) {

	public static final String TYPE = "ImportProgressed";

	public static final int VERSION = 1;

}
