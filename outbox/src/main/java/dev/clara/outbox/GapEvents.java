package dev.clara.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code GapDetected} event of a {@code qa_gaps} row, as the row is now. Every writer of gaps
 * (the gap detector, the owner's status changes) publishes through here, so a gap reads the same
 * on the gaps topic whoever changed it.
 */
public class GapEvents {

	/** The aggregate type of gap events in the outbox. */
	public static final String AGGREGATE_TYPE = "qa_gap";

	private static final String GAPS = """
			SELECT id, workspace_id, coalesce(group_id, id) AS group_id, question, ask_count, best_match_id,
			       coalesce(similarity_score, 0) AS similarity_score, session_id, status, resolved_qa_id,
			       resolved_automatically, last_asked_at
			FROM qa_gaps WHERE id = ANY(:ids)
			ORDER BY id
			""";

	private final JdbcClient jdbc;

	private final OutboxWriter outbox;

	public GapEvents(JdbcClient jdbc, OutboxWriter outbox) {
		this.jdbc = jdbc;
		this.outbox = outbox;
	}

	/**
	 * Appends one {@code GapDetected} per gap that exists, in the caller's transaction, in id order.
	 * Returns how many were appended.
	 */
	public int publish(Collection<UUID> gapIds) {
		if (gapIds.isEmpty()) {
			return 0;
		}
		Instant now = Instant.now();
		List<EventEnvelope<GapDetected>> events = this.jdbc.sql(GAPS)
			.param("ids", gapIds.toArray(UUID[]::new))
			.query((row, i) -> EventCodec.envelope(row.getObject("workspace_id", UUID.class), now, gapDetected(row)))
			.list();
		events.forEach(event -> this.outbox.append(event, AGGREGATE_TYPE, event.payload().gapId().toString()));
		return events.size();
	}

	private static GapDetected gapDetected(ResultSet row) throws SQLException {
		return new GapDetected(row.getObject("id", UUID.class), row.getObject("group_id", UUID.class),
				row.getString("question"), row.getInt("ask_count"), row.getObject("best_match_id", UUID.class),
				row.getDouble("similarity_score"), row.getObject("session_id", UUID.class), row.getString("status"),
				row.getObject("resolved_qa_id", UUID.class), row.getBoolean("resolved_automatically"),
				row.getObject("last_asked_at", OffsetDateTime.class).toInstant());
	}

}
