package dev.clara.outbox;

import java.time.ZoneOffset;

import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The one way an event enters {@code outbox_events}: the row's id, type, version, workspace and
 * {@code occurred_at} are the envelope's, and its payload is the whole envelope as
 * {@link EventCodec#toJson} writes it, so what the relay publishes is exactly what was built.
 *
 * <p>The row is written in the caller's transaction (Spring's, on the same data source): the
 * event commits with the change it describes, or not at all.
 */
public class OutboxWriter {

	private static final String INSERT = """
			INSERT INTO outbox_events (id, workspace_id, aggregate_type, aggregate_id, event_type, event_version,
			                           payload, occurred_at)
			VALUES (:id, :workspaceId, :aggregateType, :aggregateId, :eventType, :eventVersion, CAST(:payload AS jsonb),
			        :occurredAt)
			""";

	private final JdbcClient jdbc;

	private final EventCodec codec;

	public OutboxWriter(JdbcClient jdbc, EventCodec codec) {
		this.jdbc = jdbc;
		this.codec = codec;
	}

	/**
	 * Appends {@code event} to the outbox.
	 * @param aggregateType the kind of row the event is about, e.g. {@code qa_gap}
	 * @param aggregateId that row's id
	 */
	public void append(EventEnvelope<?> event, String aggregateType, String aggregateId) {
		this.jdbc.sql(INSERT)
			.param("id", event.eventId())
			.param("workspaceId", event.workspaceId())
			.param("aggregateType", aggregateType)
			.param("aggregateId", aggregateId)
			.param("eventType", event.eventType())
			.param("eventVersion", event.eventVersion())
			.param("payload", this.codec.toJson(event))
			.param("occurredAt", event.occurredAt().atOffset(ZoneOffset.UTC))
			.update();
	}

}
