package dev.clara.shared.events;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The published JSON Schemas accept what the codec writes, and reject what consumers would. */
class EventSchemaTests {

	private static final JsonMapper PLAIN = JsonMapper.builder().build();

	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private final EventCodec codec = new EventCodec();

	private final Schema questionAsked = schema("events/question-asked.v1.schema.json");

	private final Schema gapDetected = schema("events/gap-detected.v1.schema.json");

	private final Schema qaPairChanged = schema("events/qa-pair-changed.v1.schema.json");

	private final Schema qaPairEmbedded = schema("events/qa-pair-embedded.v1.schema.json");

	private final Schema answerModelTrained = schema("events/answer-model-trained.v1.schema.json");

	private final Schema answerRated = schema("events/answer-rated.v1.schema.json");

	private final Schema spendCapReached = schema("events/spend-cap-reached.v1.schema.json");

	private final Schema documentChanged = schema("events/document-changed.v1.schema.json");

	private final Schema documentIngested = schema("events/document-ingested.v1.schema.json");

	private final Schema importProgressed = schema("events/import-progressed.v1.schema.json");

	private final Schema deadLetter = schema("events/dead-letter.v1.schema.json");

	@Test
	void serialisedQuestionAskedEventsMatchTheirSchema() {
		for (QuestionAsked payload : List.of(EventSamples.questionAsked(), EventSamples.answeredQuestion())) {
			assertThat(validate(this.questionAsked, envelopeJson(payload))).isEmpty();
		}
	}

	@Test
	void serialisedGapDetectedEventsMatchTheirSchema() {
		for (GapDetected payload : List.of(EventSamples.gapDetected(), EventSamples.resolvedGap())) {
			assertThat(validate(this.gapDetected, envelopeJson(payload))).isEmpty();
		}
	}

	@Test
	void serialisedQaPairEventsMatchTheirSchemas() {
		for (QaPairChanged payload : List.of(EventSamples.qaPairCreated(), EventSamples.qaPairDeleted())) {
			assertThat(validate(this.qaPairChanged, envelopeJson(payload))).isEmpty();
		}
		assertThat(validate(this.qaPairEmbedded, envelopeJson(EventSamples.qaPairEmbedded()))).isEmpty();
		assertThat(validate(this.answerModelTrained, envelopeJson(EventSamples.answerModelTrained()))).isEmpty();
		assertThat(validate(this.answerModelTrained, envelopeJson(EventSamples.qaPairEmbedded()))).isNotEmpty();
		assertThat(validate(this.qaPairEmbedded, envelopeJson(EventSamples.qaPairCreated()))).isNotEmpty();

		ObjectNode badOperation = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.qaPairCreated()));
		((ObjectNode) badOperation.get("payload")).put("operation", "renamed");
		assertThat(validate(this.qaPairChanged, badOperation.toString())).isNotEmpty();
	}

	@Test
	void serialisedAnswerRatedEventsMatchTheirSchema() {
		for (AnswerRated payload : List.of(EventSamples.answerRatedDown(), EventSamples.answerRatedUp())) {
			assertThat(validate(this.answerRated, envelopeJson(payload))).isEmpty();
		}
		ObjectNode badRating = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.answerRatedDown()));
		((ObjectNode) badRating.get("payload")).put("rating", "meh");
		assertThat(validate(this.answerRated, badRating.toString())).isNotEmpty();
		ObjectNode longComment = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.answerRatedDown()));
		((ObjectNode) longComment.get("payload")).put("comment", "x".repeat(1001));
		assertThat(validate(this.answerRated, longComment.toString())).isNotEmpty();
		assertThat(validate(this.answerRated, envelopeJson(EventSamples.questionAsked()))).isNotEmpty();
		// the codec reads back what it wrote
		String json = envelopeJson(EventSamples.answerRatedDown());
		assertThat(this.codec.fromJson(json, AnswerRated.class).payload()).isEqualTo(EventSamples.answerRatedDown());
	}

	@Test
	void serialisedSpendCapReachedEventsMatchTheirSchema() {
		assertThat(validate(this.spendCapReached, envelopeJson(EventSamples.spendCapReached()))).isEmpty();
		assertThat(validate(this.spendCapReached, envelopeJson(EventSamples.answerModelTrained()))).isNotEmpty();
		ObjectNode badMonth = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.spendCapReached()));
		((ObjectNode) badMonth.get("payload")).put("month", "2025-13");
		assertThat(validate(this.spendCapReached, badMonth.toString())).isNotEmpty();
		ObjectNode noBudget = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.spendCapReached()));
		((ObjectNode) noBudget.get("payload")).remove("budget");
		assertThat(validate(this.spendCapReached, noBudget.toString())).isNotEmpty();
	}

	@Test
	void serialisedDocumentEventsMatchTheirSchemas() {
		for (DocumentChanged payload : List.of(EventSamples.documentUploaded(), EventSamples.documentDeleted())) {
			assertThat(validate(this.documentChanged, envelopeJson(payload))).isEmpty();
			assertThat(this.codec.fromJson(envelopeJson(payload), DocumentChanged.class).payload()).isEqualTo(payload);
		}
		for (DocumentIngested payload : List.of(EventSamples.documentReady(), EventSamples.documentFailed())) {
			assertThat(validate(this.documentIngested, envelopeJson(payload))).isEmpty();
			assertThat(this.codec.fromJson(envelopeJson(payload), DocumentIngested.class).payload()).isEqualTo(payload);
		}
		assertThat(validate(this.documentChanged, envelopeJson(EventSamples.documentReady()))).isNotEmpty();
		ObjectNode badOperation = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.documentUploaded()));
		((ObjectNode) badOperation.get("payload")).put("operation", "renamed");
		assertThat(validate(this.documentChanged, badOperation.toString())).isNotEmpty();
		ObjectNode noVersion = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.documentReady()));
		((ObjectNode) noVersion.get("payload")).remove("version");
		assertThat(validate(this.documentIngested, noVersion.toString())).isNotEmpty();
	}

	@Test
	void serialisedImportProgressedEventsMatchTheirSchema() {
		assertThat(validate(this.importProgressed, envelopeJson(EventSamples.importStarted()))).isEmpty();
		assertThat(validate(this.importProgressed, envelopeJson(EventSamples.importBatch()))).isEmpty();
		assertThat(this.codec.fromJson(envelopeJson(EventSamples.importStarted()), ImportProgressed.class).payload())
			.isEqualTo(EventSamples.importStarted());
		assertThat(validate(this.importProgressed, envelopeJson(EventSamples.spendCapReached()))).isNotEmpty();
		ObjectNode badStatus = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.importBatch()));
		((ObjectNode) badStatus.get("payload")).put("status", "paused");
		assertThat(validate(this.importProgressed, badStatus.toString())).isNotEmpty();
		ObjectNode noTotal = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.importBatch()));
		((ObjectNode) noTotal.get("payload")).remove("total_rows");
		assertThat(validate(this.importProgressed, noTotal.toString())).isNotEmpty();
	}

	@Test
	void deadLetterSchemaDescribesWhatKcatPrints() {
		String letter = """
				{"topic":"clara.questions-dlt","partition":2,"offset":0,"tstype":"create","ts":1738324800000,
				 "broker":1,"headers":["kafka_dlt-exception-fqcn","org.springframework.kafka.listener.ListenerExecutionFailedException",
				 "kafka_dlt-exception-message","not a QuestionAsked event","kafka_dlt-original-topic","clara.questions",
				 "kafka_dlt-original-partition","\\u0000\\u0000\\u0000\\u0002","kafka_dlt-original-offset","\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0007"],
				 "key":"6f1c2e4a-8b3d-4c5e-9f7a-0b1c2d3e4f50","payload":"this is not an event"}
				""";
		assertThat(validate(this.deadLetter, letter)).isEmpty();
		ObjectNode withoutReason = (ObjectNode) PLAIN.readTree(letter);
		withoutReason.putArray("headers").add("kafka_dlt-original-topic").add("clara.questions");
		assertThat(validate(this.deadLetter, withoutReason.toString())).isNotEmpty();
		ObjectNode notADeadLetterTopic = (ObjectNode) PLAIN.readTree(letter);
		notADeadLetterTopic.put("topic", "clara.questions");
		assertThat(validate(this.deadLetter, notADeadLetterTopic.toString())).isNotEmpty();
	}

	@Test
	void schemasRejectWhatTheCodecRejects() {
		ObjectNode missing = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.questionAsked()));
		((ObjectNode) missing.get("payload")).remove("similarity");
		assertThat(validate(this.questionAsked, missing.toString())).isNotEmpty();

		ObjectNode version2 = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.questionAsked()));
		version2.put("event_version", 2);
		assertThat(validate(this.questionAsked, version2.toString())).isNotEmpty();

		ObjectNode vectorAsText = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.questionAsked()));
		((ObjectNode) vectorAsText.get("payload")).put("question_embedding", "[0.1,0.2]");
		assertThat(validate(this.questionAsked, vectorAsText.toString())).isNotEmpty();
		assertThatThrownBy(() -> this.codec.fromJson(vectorAsText.toString(), QuestionAsked.class))
			.isInstanceOf(InvalidEventException.class);

		ObjectNode badUuid = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.gapDetected()));
		badUuid.put("workspace_id", "not-a-uuid");
		assertThat(validate(this.gapDetected, badUuid.toString())).isNotEmpty();

		ObjectNode badStatus = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.gapDetected()));
		((ObjectNode) badStatus.get("payload")).put("status", "closed");
		assertThat(validate(this.gapDetected, badStatus.toString())).isNotEmpty();

		ObjectNode badInstant = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.gapDetected()));
		badInstant.put("occurred_at", "31/01/2025");
		assertThat(validate(this.gapDetected, badInstant.toString())).isNotEmpty();

		// each schema is for its own event type
		assertThat(validate(this.gapDetected, envelopeJson(EventSamples.questionAsked()))).isNotEmpty();
	}

	@Test
	void schemasAllowExtraPropertiesLikeTheCodec() {
		ObjectNode extra = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.questionAsked()));
		extra.put("trace_id", "abc");
		((ObjectNode) extra.get("payload")).put("language", "nb");
		assertThat(validate(this.questionAsked, extra.toString())).isEmpty();
	}

	private String envelopeJson(Object payload) {
		return this.codec.toJson(EventCodec.envelope(UUID.randomUUID(), EventSamples.OCCURRED, payload));
	}

	private static List<Error> validate(Schema schema, String json) {
		// format keywords only annotate by default in 2020-12; assert them so "date-time" and "uuid" are checked
		return schema.validate(json, InputFormat.JSON,
				(context) -> context.executionConfig((config) -> config.formatAssertionsEnabled(true)));
	}

	private static Schema schema(String resource) {
		try (InputStream in = EventSchemaTests.class.getClassLoader().getResourceAsStream(resource)) {
			assertThat(in).as(resource).isNotNull();
			return REGISTRY.getSchema(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
