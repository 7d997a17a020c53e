package dev.clara.chat.owner.gaps;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.UUID;

import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Publishes the owner's status changes of gaps (resolved with a pair, dismissed, reopened) as
 * {@code GapDetected} events, through the outbox, in the owner's transaction: the CDC relay puts
 * them on the gaps topic beside the gap detector's own events.
 *
 * <p>Owners may not write the outbox (no grant, no policy): an owner who could would be able to
 * publish anything. So, as the last step of the owner's transaction, this reads the gaps and
 * writes their events as the service's own role; the owner's statements are all done by then.
 */
@Repository
class GapStatusEvents {

	private static final String LEAVE_OWNER_ROLE = "RESET ROLE";

	private static final String GAPS = """
			SELECT id, workspace_id, coalesce(group_id, id) AS group_id, question, ask_count, best_match_id,
			       coalesce(similarity_score, 0) AS similarity_score, session_id, status, resolved_qa_id,
			       resolved_automatically, last_asked_at
			FROM qa_gaps WHERE id IN (:ids)
			ORDER BY id
			""";

	private static final String INSERT_OUTBOX = """
			INSERT INTO outbox_events (id, workspace_id, aggregate_type, aggregate_id, event_type, event_version,
			                           payload, occurred_at)
			VALUES (:id, :workspaceId, 'qa_gap', :aggregateId, :eventType, :eventVersion, CAST(:payload AS jsonb),
			        :occurredAt)
			""";

	private final EventCodec codec;

	GapStatusEvents(EventCodec codec) {
		this.codec = codec;
	}

	/** Ends the owner's part of the transaction and writes one event per gap, as they are now. */
	void publish(JdbcClient sql, Collection<UUID> gapIds) {
		if (gapIds.isEmpty()) {
			return;
		}
		sql.sql(LEAVE_OWNER_ROLE).update();
		Instant now = Instant.now();
		sql.sql(GAPS).param("ids", gapIds).query((row, i) -> {
			UUID workspaceId = row.getObject("workspace_id", UUID.class);
			GapDetected gap = new GapDetected(row.getObject("id", UUID.class), row.getObject("group_id", UUID.class),
					row.getString("question"), row.getInt("ask_count"), row.getObject("best_match_id", UUID.class),
					row.getDouble("similarity_score"), row.getObject("session_id", UUID.class),
					row.getString("status"), row.getObject("resolved_qa_id", UUID.class),
					row.getBoolean("resolved_automatically"),
					row.getObject("last_asked_at", OffsetDateTime.class).toInstant());
			return EventCodec.envelope(workspaceId, now, gap);
		}).list().forEach(event -> insert(sql, event, now));
	}

	private void insert(JdbcClient sql, EventEnvelope<GapDetected> event, Instant now) {
		sql.sql(INSERT_OUTBOX)
			.param("id", event.eventId())
			.param("workspaceId", event.workspaceId())
			.param("aggregateId", event.payload().gapId().toString())
			.param("eventType", event.eventType())
			.param("eventVersion", event.eventVersion())
			.param("payload", this.codec.toJson(event))
			.param("occurredAt", now.atOffset(ZoneOffset.UTC))
			.update();
	}

}
