package dev.clara.chat.owner.documents;

import java.time.Instant;
import java.util.UUID;

import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.events.DocumentChanged;
import dev.clara.shared.events.EventCodec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Announces an upload or a deletion as {@code DocumentChanged}, through the outbox, in the owner's
 * transaction: the relay puts it on the documents topic for the embedding worker. Owners may not
 * write the outbox (no grant, no policy), so this ends the owner's part of the transaction first
 * and writes the row as the service's own role.
 */
@Repository
class DocumentEvents {

	private static final String LEAVE_OWNER_ROLE = "RESET ROLE";

	private static final String DOCUMENT = "document";

	private final OutboxWriter outbox;

	DocumentEvents(OutboxWriter outbox) {
		this.outbox = outbox;
	}

	/** The last step of the owner's transaction {@code sql} runs in. */
	void publish(JdbcClient sql, UUID workspaceId, DocumentChanged change) {
		sql.sql(LEAVE_OWNER_ROLE).update();
		this.outbox.append(EventCodec.envelope(workspaceId, Instant.now(), change), DOCUMENT,
				change.documentId().toString());
	}

}
