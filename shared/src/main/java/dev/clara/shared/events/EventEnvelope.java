package dev.clara.shared.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What every Clara event carries, whatever its payload. Serialised as the Kafka record value;
 * the event id also travels in the {@link EventHeaders#EVENT_ID} header for deduplication.
 *
 * @param eventId unique per event; consumers deduplicate on it
 * @param eventType for example {@link QuestionAsked#TYPE}
 * @param eventVersion version of the payload's schema; a consumer rejects versions it does not know
 * @param workspaceId the tenant, also the Kafka key (order per workspace)
 * @param occurredAt when the fact happened (commit time of its transaction, near enough)
 * @param payload the event's own fields
 */
public record EventEnvelope<P>(UUID eventId, String eventType, int eventVersion, UUID workspaceId,
		Instant occurredAt, P payload) {

	public EventEnvelope {
		Objects.requireNonNull(eventId, "eventId");
		Objects.requireNonNull(eventType, "eventType");
		Objects.requireNonNull(workspaceId, "workspaceId");
		Objects.requireNonNull(occurredAt, "occurredAt");
		Objects.requireNonNull(payload, "payload");
	}

}
