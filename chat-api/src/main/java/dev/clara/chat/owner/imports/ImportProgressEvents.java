package dev.clara.chat.owner.imports;

import java.time.Instant;
import java.util.UUID;

import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.imports.ImportJobRepository.Job;
import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.ImportProgressed;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Announces an import job's state as {@code ImportProgressed}, through the outbox, in the owner's
 * transaction that changed it: the import runs on one replica, and the owner's live updates may
 * be served by another, which hears of it from the imports topic.
 *
 * <p>Owners may not write the outbox (an owner who could would publish anything), so, as the last
 * step of the owner's transaction, this reads the job under row-level security and then writes
 * its event as the service's own role (as the gaps' status events do).
 */
@Repository
class ImportProgressEvents {

	private static final String AGGREGATE = "qa_import_job";

	private static final String LEAVE_OWNER_ROLE = "RESET ROLE";

	private final ImportJobRepository jobs;

	private final OutboxWriter outbox;

	ImportProgressEvents(ImportJobRepository jobs, OutboxWriter outbox) {
		this.jobs = jobs;
		this.outbox = outbox;
	}

	/** Ends the owner's part of the transaction {@code sql} runs in and writes the job's event as it is now. */
	void publish(JdbcClient sql, UUID jobId) {
		UUID workspace = OwnerDb.workspaceId(sql);
		Job job = this.jobs.find(sql, jobId).orElse(null);
		if (job == null) {
			return;
		}
		sql.sql(LEAVE_OWNER_ROLE).update();
		Instant now = Instant.now();
		this.outbox.append(EventCodec.envelope(workspace, now,
				new ImportProgressed(job.id(), job.status(), job.totalRows(), job.processedRows(), job.importedRows(),
						job.duplicateRows(), job.invalidRows(), now)),
				AGGREGATE, job.id().toString());
	}

}
