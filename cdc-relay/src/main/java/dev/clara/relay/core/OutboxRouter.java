package dev.clara.relay.core;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.clara.shared.events.EventHeaders;

/**
 * Turns outbox rows into Kafka records: the topic of the row's event type (configuration), key =
 * workspace id (so one workspace's events stay in order on one partition), value = the payload
 * column verbatim (the full event envelope the producer serialised), the event id, type and
 * version in the {@link EventHeaders}. A type without a route goes to the dead-letter topic with
 * the reason in a header: never dropped, never guessed.
 */
public final class OutboxRouter {

	public static final String OUTBOX_TABLE = "public.outbox_events";

	/** Header of a dead-lettered outbox row: why it was not routed. */
	public static final String DEAD_LETTER_REASON = "clara-dlt-reason";

	private static final Logger logger = LoggerFactory.getLogger(OutboxRouter.class);

	private final Map<String, String> routes;

	private final String deadLetterTopic;

	public OutboxRouter(Map<String, String> routes, String deadLetterTopic) {
		this.routes = Map.copyOf(routes);
		this.deadLetterTopic = deadLetterTopic;
	}

	/** The record for an inserted outbox row. */
	public ProducerRecord<String, String> route(Map<String, Object> row) {
		String eventId = Change.string(row, "id");
		String eventType = Change.string(row, "event_type");
		String workspaceId = Change.string(row, "workspace_id");
		String version = Change.string(row, "event_version");
		String payload = Change.string(row, "payload");
		RecordHeaders headers = new RecordHeaders();
		headers.add(EventHeaders.EVENT_ID, bytes(eventId));
		headers.add(EventHeaders.EVENT_TYPE, bytes(eventType));
		headers.add(EventHeaders.EVENT_VERSION, bytes(version));
		String topic = this.routes.get(eventType);
		if (topic == null) {
			topic = this.deadLetterTopic;
			String reason = "No route for event type '" + eventType + "' (configure clara.relay.routes[" + eventType
					+ "])";
			headers.add(DEAD_LETTER_REASON, bytes(reason));
			logger.warn("Outbox event {} of workspace {}: {}; sent to {}", eventId, workspaceId, reason, topic);
		}
		return new ProducerRecord<>(topic, null, workspaceId, payload, headers);
	}

	private static byte[] bytes(String value) {
		return (value != null) ? value.getBytes(StandardCharsets.UTF_8) : null;
	}

}
