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

/** The published JSON Schemas accept what the codec writes, and reject what consumers would. */
class EventSchemaTests {

	private static final JsonMapper PLAIN = JsonMapper.builder().build();

	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private final EventCodec codec = new EventCodec();

	private final Schema questionAsked = schema("events/question-asked.v1.schema.json");

	private final Schema gapDetected = schema("events/gap-detected.v1.schema.json");

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
	void schemasRejectWhatTheCodecRejects() {
		ObjectNode missing = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.questionAsked()));
		((ObjectNode) missing.get("payload")).remove("similarity");
		assertThat(validate(this.questionAsked, missing.toString())).isNotEmpty();

		ObjectNode version2 = (ObjectNode) PLAIN.readTree(envelopeJson(EventSamples.questionAsked()));
		version2.put("event_version", 2);
		assertThat(validate(this.questionAsked, version2.toString())).isNotEmpty();

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
