package dev.clara.outbox;

import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The one way an event enters {@code outbox_events}: the row's id, type, version, workspace and
 * {@code occurred_at} are the envelope's, and its payload is the whole envelope as
 * {@link EventCodec#toJson} writes it, so what the relay publishes is exactly what was built.
 *
 * <p>The row is written in the caller's transaction (Spring's, on the same data source): the
 * event commits with the change it describes, or not at all. A caller that writes its change in
 * one statement (a data-modifying {@code WITH}) takes the row's insert from
 * {@link #insertSelecting} and puts it in that statement: the same insert, so the same row.
 */
public class OutboxWriter {

	/**
	 * The row, its parameters named with a prefix (1), but for {@code :workspaceId}: every part of one
	 * statement writes for the same workspace. Then the aggregate's id (2), the payload (3), as SQL, and
	 * the FROM clause (4), if any.
	 */
	private static final String INSERT = """
			INSERT INTO outbox_events (id, workspace_id, aggregate_type, aggregate_id, event_type, event_version,
			                           payload, occurred_at)
			SELECT :%1$sId, :workspaceId, :%1$sAggregateType, %2$s, :%1$sEventType, :%1$sEventVersion,
			       CAST(%3$s AS jsonb), :%1$sOccurredAt%4$s""";

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
		MapSqlParameterSource params = new MapSqlParameterSource("outboxAggregateId", aggregateId);
		String sql = insert(params, "outbox", event, aggregateType, ":outboxAggregateId", Map.of(), "");
		this.jdbc.sql(sql).paramSource(params).update();
	}

	/**
	 * The insert {@link #append} runs, as {@code INSERT … SELECT … FROM from}, for a statement that
	 * learns some of the event's values only as it runs (the conversation a turn upserts). The event
	 * is built with stand-ins for those values: random UUIDs, each replaced in the payload by the
	 * text of its SQL expression (a UUID the statement selects), so the codec still writes the row.
	 * @param params where the insert's parameters go, each name starting with {@code prefix} but
	 *     {@code workspaceId}, the event's workspace (the statement's other parts write for it too)
	 * @param aggregateIdSql the SQL expression of the aggregate's id (text)
	 * @param standIns each stand-in UUID of the event and the SQL expression of the value it stands for
	 * @param from the insert's FROM clause, {@code FROM …}: a row per event written (none: no event)
	 */
	public String insertSelecting(MapSqlParameterSource params, String prefix, EventEnvelope<?> event,
			String aggregateType, String aggregateIdSql, Map<UUID, String> standIns, String from) {
		return insert(params, prefix, event, aggregateType, aggregateIdSql, standIns, " " + from);
	}

	private String insert(MapSqlParameterSource params, String prefix, EventEnvelope<?> event, String aggregateType,
			String aggregateIdSql, Map<UUID, String> standIns, String from) {
		params.addValue(prefix + "Id", event.eventId())
			.addValue("workspaceId", event.workspaceId())
			.addValue(prefix + "AggregateType", aggregateType)
			.addValue(prefix + "EventType", event.eventType())
			.addValue(prefix + "EventVersion", event.eventVersion())
			.addValue(prefix + "Payload", this.codec.toJson(event))
			.addValue(prefix + "OccurredAt", event.occurredAt().atOffset(ZoneOffset.UTC));
		String payload = ":" + prefix + "Payload";
		int i = 0;
		for (Map.Entry<UUID, String> standIn : standIns.entrySet()) {
			String name = prefix + "StandIn" + i++;
			params.addValue(name, standIn.getKey().toString());
			payload = "replace(" + payload + ", :" + name + ", CAST(" + standIn.getValue() + " AS text))";
		}
		return INSERT.formatted(prefix, aggregateIdSql, payload, from);
	}

}
