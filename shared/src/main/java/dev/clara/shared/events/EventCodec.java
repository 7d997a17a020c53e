package dev.clara.shared.events;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Event envelopes to and from JSON, the one wire format of every Clara topic (schemas in
 * {@code events/*.schema.json} on the classpath).
 *
 * <p>Property names are snake_case ({@code event_id}, {@code workspace_id}, ...), UUIDs are
 * strings and instants ISO-8601 strings ({@code 2025-01-31T12:00:00Z}). Reading is strict about
 * what a consumer relies on and lenient about the rest: every field of the envelope and of the
 * payload must be present (null only where the payload allows it), the type and version must be
 * the ones the consumer expects, and unknown extra properties are ignored so that producers can
 * add fields before consumers know them.
 *
 * <p>Thread-safe; make one and share it.
 */
public final class EventCodec {

	private static final Pattern CANONICAL_UUID = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private final JsonMapper mapper = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		// forward compatibility: a newer producer's extra fields are not an error
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		// a missing field would otherwise become null/0 silently and mislead the consumer
		.enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		// "0.5" is not a number and 1 is not a boolean: the contract has types
		.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
		.build();

	/**
	 * A new envelope for {@code payload} with a random event id and the payload's declared type and
	 * version.
	 */
	public static <P> EventEnvelope<P> envelope(UUID workspaceId, Instant occurredAt, P payload) {
		EventTypes declared = EventTypes.of(payload.getClass());
		return new EventEnvelope<>(UUID.randomUUID(), declared.type(), declared.version(), workspaceId, occurredAt,
				payload);
	}

	/**
	 * The envelope as JSON.
	 * @throws IllegalArgumentException when the envelope's type or version differs from what its
	 * payload class declares (a producer bug that consumers would dead-letter)
	 */
	public String toJson(EventEnvelope<?> envelope) {
		Objects.requireNonNull(envelope, "envelope");
		EventTypes declared = EventTypes.of(envelope.payload().getClass());
		if (!declared.type().equals(envelope.eventType()) || declared.version() != envelope.eventVersion()) {
			throw new IllegalArgumentException("Envelope says " + envelope.eventType() + " v" + envelope.eventVersion()
					+ " but its payload is " + declared.type() + " v" + declared.version());
		}
		return write(envelope);
	}

	/** The payload alone as JSON (same conventions as in the envelope). */
	public String payloadJson(Object payload) {
		return write(Objects.requireNonNull(payload, "payload"));
	}

	/**
	 * Reads an envelope whose payload must be {@code payloadType}'s declared type and version.
	 * @throws InvalidEventException when it is not such an event; the message says what is wrong
	 */
	public <P> EventEnvelope<P> fromJson(String json, Class<P> payloadType) {
		EventTypes expected = EventTypes.of(payloadType);
		JsonNode root = readTree(json);
		String type = requireString(root, "event_type");
		if (!expected.type().equals(type)) {
			throw new InvalidEventException(
					"Event type '" + type + "' is not the expected '" + expected.type() + "'");
		}
		JsonNode version = require(root, "event_version");
		if (!version.isIntegralNumber() || !version.canConvertToInt()) {
			throw new InvalidEventException("Property 'event_version' must be an integer");
		}
		if (version.intValue() != expected.version()) {
			throw new InvalidEventException("Unsupported version " + version.intValue() + " of " + type
					+ " (this consumer reads version " + expected.version() + ")");
		}
		UUID eventId = requireUuid(root, "event_id");
		UUID workspaceId = requireUuid(root, "workspace_id");
		Instant occurredAt = requireInstant(root, "occurred_at");
		JsonNode payloadNode = require(root, "payload");
		if (!payloadNode.isObject()) {
			throw new InvalidEventException("Property 'payload' must be an object");
		}
		P payload = convert(withOptionalNulls((ObjectNode) payloadNode, expected), payloadType);
		return new EventEnvelope<>(eventId, type, expected.version(), workspaceId, occurredAt, payload);
	}

	/**
	 * Reads a payload on its own.
	 * @throws InvalidEventException when it is not a valid {@code payloadType}
	 */
	public <P> P payloadFromJson(String json, Class<P> payloadType) {
		JsonNode root = readTree(json);
		if (!root.isObject()) {
			throw new InvalidEventException("A " + payloadType.getSimpleName() + " payload must be a JSON object");
		}
		return convert(withOptionalNulls((ObjectNode) root, EventTypes.of(payloadType)), payloadType);
	}

	/** An event written before its version gained a property reads as if it said null. */
	private static ObjectNode withOptionalNulls(ObjectNode payload, EventTypes types) {
		if (types.optional().stream().allMatch(payload::has)) {
			return payload;
		}
		ObjectNode filled = payload.deepCopy();
		types.optional().stream().filter(name -> !filled.has(name)).forEach(filled::putNull);
		return filled;
	}

	private String write(Object value) {
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Cannot serialise " + value.getClass().getSimpleName() + ": "
					+ ex.getOriginalMessage(), ex);
		}
	}

	private JsonNode readTree(String json) {
		if (json == null || json.isBlank()) {
			throw new InvalidEventException("Event is empty");
		}
		JsonNode root;
		try {
			root = this.mapper.readTree(json);
		}
		catch (JacksonException ex) {
			throw new InvalidEventException("Event is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		if (root == null || !root.isObject()) {
			throw new InvalidEventException("Event must be a JSON object");
		}
		return root;
	}

	private <P> P convert(JsonNode node, Class<P> payloadType) {
		try {
			return this.mapper.treeToValue(node, payloadType);
		}
		catch (JacksonException ex) {
			throw new InvalidEventException(
					"Invalid " + payloadType.getSimpleName() + " payload: " + ex.getOriginalMessage(), ex);
		}
	}

	private static JsonNode require(JsonNode root, String name) {
		JsonNode node = root.get(name);
		if (node == null || node.isNull()) {
			throw new InvalidEventException("Missing required property '" + name + "'");
		}
		return node;
	}

	private static String requireString(JsonNode root, String name) {
		JsonNode node = require(root, name);
		if (!node.isString()) {
			throw new InvalidEventException("Property '" + name + "' must be a string");
		}
		return node.stringValue();
	}

	private static UUID requireUuid(JsonNode root, String name) {
		String text = requireString(root, name);
		// UUID.fromString accepts short forms like "1-2-3-4-5"; the contract is the canonical form
		if (!CANONICAL_UUID.matcher(text).matches()) {
			throw new InvalidEventException("Property '" + name + "' must be a UUID");
		}
		return UUID.fromString(text);
	}

	private static Instant requireInstant(JsonNode root, String name) {
		String text = requireString(root, name);
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidEventException("Property '" + name + "' must be an ISO-8601 instant such as "
					+ "2025-01-31T12:00:00Z");
		}
	}

}
