package dev.clara.shared.events;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventCodecTests {

	private static final JsonMapper PLAIN = JsonMapper.builder().build();

	private final EventCodec codec = new EventCodec();

	@Test
	void questionAskedRoundTrips() {
		EventEnvelope<QuestionAsked> envelope = EventCodec.envelope(EventSamples.WORKSPACE, EventSamples.OCCURRED,
				EventSamples.questionAsked());
		String json = this.codec.toJson(envelope);

		assertThat(this.codec.fromJson(json, QuestionAsked.class)).isEqualTo(envelope);
		EventEnvelope<QuestionAsked> answered = EventCodec.envelope(UUID.randomUUID(), EventSamples.OCCURRED,
				EventSamples.answeredQuestion());
		assertThat(this.codec.fromJson(this.codec.toJson(answered), QuestionAsked.class)).isEqualTo(answered);
	}

	@Test
	void gapDetectedRoundTrips() {
		for (GapDetected gap : new GapDetected[] { EventSamples.gapDetected(), EventSamples.resolvedGap() }) {
			EventEnvelope<GapDetected> envelope = EventCodec.envelope(EventSamples.WORKSPACE, EventSamples.OCCURRED, gap);
			assertThat(this.codec.fromJson(this.codec.toJson(envelope), GapDetected.class)).isEqualTo(envelope);
		}
	}

	@Test
	void aQuestionAskedWrittenBeforeEndUsersExistedStillReads() {
		EventEnvelope<QuestionAsked> envelope = EventCodec.envelope(EventSamples.WORKSPACE, EventSamples.OCCURRED,
				EventSamples.questionAsked());

		EventEnvelope<QuestionAsked> read = readWithout(envelope, "end_user_id");

		assertThat(read.payload().endUserId()).isNull();
		assertThat(read).isEqualTo(envelope);
	}

	@Test
	void aQuestionAskedWrittenBeforeItCarriedItsVectorStillReads() {
		EventEnvelope<QuestionAsked> envelope = EventCodec.envelope(EventSamples.WORKSPACE, EventSamples.OCCURRED,
				EventSamples.questionAsked());

		EventEnvelope<QuestionAsked> read = readWithout(envelope, "question_embedding");

		assertThat(read.payload().questionEmbedding()).isNull();
		assertThat(read.payload().question()).isEqualTo(envelope.payload().question());
	}

	/** The event as a producer that did not know {@code property} yet wrote it, read back. */
	private EventEnvelope<QuestionAsked> readWithout(EventEnvelope<QuestionAsked> envelope, String property) {
		ObjectNode json = (ObjectNode) PLAIN.readTree(this.codec.toJson(envelope));
		((ObjectNode) json.get("payload")).remove(property);
		return this.codec.fromJson(json.toString(), QuestionAsked.class);
	}

	@Test
	void theQuestionsVectorTravelsAsAnArrayOfNumbersAndReadsBackExactly() {
		EventEnvelope<QuestionAsked> envelope = EventCodec.envelope(EventSamples.WORKSPACE, EventSamples.OCCURRED,
				EventSamples.questionAsked());
		JsonNode vector = PLAIN.readTree(this.codec.toJson(envelope)).get("payload").get("question_embedding");

		assertThat(vector.isArray()).isTrue();
		assertThat(vector.size()).isEqualTo(4);
		assertThat(vector.get(1).isNumber()).isTrue();
		assertThat(this.codec.fromJson(this.codec.toJson(envelope), QuestionAsked.class).payload().questionEmbedding())
			.containsExactly(0.125f, -0.33f, 0.0078125f, 1.0e-7f);
		assertThat(EventSamples.answeredQuestion().questionEmbedding()).isNull();
	}

	@Test
	void wireFormatIsSnakeCaseWithStringUuidsAndIsoInstants() {
		EventEnvelope<QuestionAsked> envelope = EventCodec.envelope(EventSamples.WORKSPACE, EventSamples.OCCURRED,
				EventSamples.questionAsked());
		JsonNode json = PLAIN.readTree(this.codec.toJson(envelope));

		assertThat(json.propertyNames()).containsExactlyInAnyOrder("event_id", "event_type", "event_version",
				"workspace_id", "occurred_at", "payload");
		assertThat(json.get("event_id").asString()).isEqualTo(envelope.eventId().toString());
		assertThat(json.get("event_type").asString()).isEqualTo("QuestionAsked");
		assertThat(json.get("event_version").isInt()).isTrue();
		assertThat(json.get("workspace_id").asString()).isEqualTo("6f1c2e4a-8b3d-4c5e-9f7a-0b1c2d3e4f50");
		assertThat(json.get("occurred_at").asString()).isEqualTo("2025-01-31T12:00:00.123456Z");
		JsonNode payload = json.get("payload");
		assertThat(payload.propertyNames()).containsExactlyInAnyOrder("conversation_id", "message_id", "question",
				"answer", "best_match_id", "similarity", "threshold", "gap_detected", "embedding_model", "asked_at",
				"end_user_id", "question_embedding");
		assertThat(payload.get("best_match_id").isNull()).isTrue();
		assertThat(payload.get("end_user_id").isNull()).isTrue();
		assertThat(payload.get("asked_at").asString()).isEqualTo("2025-01-31T11:59:59.900Z");
		assertThat(PLAIN.readTree(this.codec.payloadJson(envelope.payload()))).isEqualTo(payload);
	}

	@Test
	void payloadAloneRoundTrips() {
		GapDetected gap = EventSamples.gapDetected();
		assertThat(this.codec.payloadFromJson(this.codec.payloadJson(gap), GapDetected.class)).isEqualTo(gap);
	}

	@Test
	void unknownPropertiesAreIgnored() {
		ObjectNode json = envelopeJson();
		json.put("trace_id", "abc");
		((ObjectNode) json.get("payload")).put("language", "nb");
		assertThat(this.codec.fromJson(json.toString(), QuestionAsked.class).payload())
			.isEqualTo(EventSamples.questionAsked());
	}

	@Test
	void anUnknownVersionIsRejected() {
		ObjectNode json = envelopeJson();
		json.put("event_version", 2);
		assertInvalid(json.toString(), "Unsupported version 2 of QuestionAsked");
		json.put("event_version", "1");
		assertInvalid(json.toString(), "'event_version' must be an integer");
	}

	@Test
	void anotherEventTypeIsRejected() {
		String gapJson = this.codec.toJson(EventCodec.envelope(EventSamples.WORKSPACE, EventSamples.OCCURRED,
				EventSamples.gapDetected()));
		assertInvalid(gapJson, "'GapDetected' is not the expected 'QuestionAsked'");
	}

	@Test
	void missingEnvelopePropertiesAreRejected() {
		for (String name : new String[] { "event_id", "event_type", "event_version", "workspace_id", "occurred_at",
				"payload" }) {
			ObjectNode json = envelopeJson();
			json.remove(name);
			assertInvalid(json.toString(), "'" + name + "'");
		}
	}

	@Test
	void missingPayloadPropertiesAreRejectedButExplicitNullsAreFine() {
		ObjectNode json = envelopeJson();
		((ObjectNode) json.get("payload")).remove("similarity");
		assertInvalid(json.toString(), "similarity");

		ObjectNode withoutNullable = envelopeJson();
		((ObjectNode) withoutNullable.get("payload")).remove("best_match_id");
		assertInvalid(withoutNullable.toString(), "best_match_id");

		ObjectNode nullPrimitive = envelopeJson();
		((ObjectNode) nullPrimitive.get("payload")).putNull("gap_detected");
		assertInvalid(nullPrimitive.toString(), "Invalid QuestionAsked payload");
	}

	@Test
	void malformedValuesAreRejected() {
		assertInvalid("", "empty");
		assertInvalid("{not json", "not valid JSON");
		assertInvalid("[1,2]", "JSON object");
		assertInvalid(envelopeJson().toString() + " trailing", "not valid JSON");

		ObjectNode badUuid = envelopeJson();
		badUuid.put("workspace_id", "1-2-3-4-5");
		assertInvalid(badUuid.toString(), "'workspace_id' must be a UUID");

		ObjectNode badInstant = envelopeJson();
		badInstant.put("occurred_at", 1738324800);
		assertInvalid(badInstant.toString(), "'occurred_at' must be a string");
		badInstant.put("occurred_at", "yesterday");
		assertInvalid(badInstant.toString(), "ISO-8601");

		ObjectNode stringNumber = envelopeJson();
		((ObjectNode) stringNumber.get("payload")).put("similarity", "0.5");
		assertInvalid(stringNumber.toString(), "Invalid QuestionAsked payload");

		ObjectNode payloadArray = envelopeJson();
		payloadArray.putArray("payload");
		assertInvalid(payloadArray.toString(), "'payload' must be an object");
	}

	@Test
	void producerMistakesAreCaughtBeforeSending() {
		EventEnvelope<QuestionAsked> wrongType = new EventEnvelope<>(UUID.randomUUID(), GapDetected.TYPE, 1,
				EventSamples.WORKSPACE, EventSamples.OCCURRED, EventSamples.questionAsked());
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.toJson(wrongType))
			.withMessageContaining("QuestionAsked v1");
		EventEnvelope<String> notAnEvent = new EventEnvelope<>(UUID.randomUUID(), "Text", 1, EventSamples.WORKSPACE,
				EventSamples.OCCURRED, "hello");
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.toJson(notAnEvent))
			.withMessageContaining("not an event payload");
	}

	private ObjectNode envelopeJson() {
		return (ObjectNode) PLAIN.readTree(this.codec.toJson(
				EventCodec.envelope(EventSamples.WORKSPACE, EventSamples.OCCURRED, EventSamples.questionAsked())));
	}

	private void assertInvalid(String json, String messagePart) {
		assertThatExceptionOfType(InvalidEventException.class)
			.isThrownBy(() -> this.codec.fromJson(json, QuestionAsked.class))
			.withMessageContaining(messagePart);
	}

}
