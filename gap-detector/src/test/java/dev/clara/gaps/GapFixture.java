package dev.clara.gaps;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.pgvector.PGvector;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.clara.schema.Migrations;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.LocalEmbeddingProvider;
import dev.clara.shared.events.AnswerRated;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.EventHeaders;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.shared.events.QuestionAsked;
import dev.clara.testing.LocalKafka;
import dev.clara.testing.LocalPostgres;
import dev.clara.testing.TestDatabase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migrated database and topics of a test class's own, the events the CDC relay would publish
 * (QuestionAsked from chat turns, QaPairEmbedded from the embedding worker), and readers of what
 * the gap detector wrote.
 */
final class GapFixture implements AutoCloseable {

	static final String MODEL = LocalEmbeddingProvider.ALL_MINILM_L6_V2_Q;

	private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	final TestDatabase database;

	final String questions;

	final String pairsEmbedded;

	final String feedback;

	final String documentsIngested;

	final JdbcClient jdbc;

	final EventCodec codec = new EventCodec();

	final EmbeddingProvider provider = new LocalEmbeddingProvider(MODEL);

	private final KafkaProducer<String, String> producer;

	private final Schema gapDetectedSchema;

	GapFixture(String purpose) {
		this.database = LocalPostgres.createMigratedDatabase(purpose, Migrations::migrate);
		this.questions = LocalKafka.createTopic(purpose + ".questions", 3);
		this.pairsEmbedded = LocalKafka.createTopic(purpose + ".embedded", 3);
		LocalKafka.createTopicNamed(this.questions + "-dlt", 3);
		LocalKafka.createTopicNamed(this.pairsEmbedded + "-dlt", 3);
		this.feedback = LocalKafka.createTopic(purpose + ".feedback", 3);
		LocalKafka.createTopicNamed(this.feedback + "-dlt", 3);
		this.documentsIngested = LocalKafka.createTopic(purpose + ".documents", 3);
		LocalKafka.createTopicNamed(this.documentsIngested + "-dlt", 3);
		DataSource dataSource = this.database.dataSource();
		this.jdbc = JdbcClient.create(dataSource);
		this.producer = LocalKafka.producer();
		try (InputStream in = GapFixture.class.getClassLoader().getResourceAsStream("events/gap-detected.v1.schema.json")) {
			this.gapDetectedSchema = SCHEMAS.getSchema(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Properties that point a detector at this fixture, in a consumer group of its own. */
	List<String> detectorArguments(String group) {
		List<String> arguments = new ArrayList<>(List.of("--spring.datasource.url=" + this.database.jdbcUrl(),
				"--spring.datasource.username=postgres", "--spring.kafka.bootstrap-servers=" + LocalKafka.bootstrapServers(),
				"--spring.kafka.consumer.group-id=" + group, "--clara.topics.questions=" + this.questions,
				"--clara.topics.qa-pair-embedded=" + this.pairsEmbedded, "--clara.topics.feedback=" + this.feedback,
				"--clara.topics.document-ingested=" + this.documentsIngested, "--clara.topics.partitions=3",
				"--server.port=0"));
		// the crash test kills a replica
		arguments.addAll(LocalKafka.SHORT_SESSION_ARGUMENTS);
		return arguments;
	}

	UUID workspace() {
		return this.database.newOwnerWorkspace();
	}

	UUID conversation(UUID workspace) {
		return this.jdbc
			.sql("INSERT INTO conversations (workspace_id, session_token) VALUES (:ws, :token) RETURNING id")
			.param("ws", workspace)
			.param("token", UUID.randomUUID().toString())
			.query(UUID.class)
			.single();
	}

	/**
	 * A pair with the vector of its question, as the embedding worker leaves it. Its answer is its
	 * own (one answer group per pair), as in a knowledge base of distinct questions: pairs with the
	 * same answer are one group and answer for each other.
	 */
	UUID embeddedPair(UUID workspace, String question) {
		return this.jdbc.sql("""
				INSERT INTO qa_pairs (workspace_id, question, answer, embedding, embedding_model, embedded_at)
				VALUES (:ws, :q, 'The answer to: ' || :q, CAST(:v AS extensions.vector), :model, now()) RETURNING id
				""")
			.param("ws", workspace)
			.param("q", question)
			.param("v", new PGvector(this.provider.embed(question)))
			.param("model", MODEL)
			.query(UUID.class)
			.single();
	}

	/** A pair with a vector the test chose (see {@link SyntheticProvider}), as the embedding worker leaves it. */
	UUID pair(UUID workspace, String question, String answer, float[] vector) {
		return this.jdbc.sql("""
				INSERT INTO qa_pairs (workspace_id, question, answer, embedding, embedding_model, embedded_at)
				VALUES (:ws, :q, :a, CAST(:v AS extensions.vector), :model, now()) RETURNING id
				""")
			.param("ws", workspace)
			.param("q", question)
			.param("a", answer)
			.param("v", new PGvector(vector))
			.param("model", MODEL)
			.query(UUID.class)
			.single();
	}

	/** The workspace's own confidence threshold ({@code settings.confidence_threshold}). */
	void confidenceThreshold(UUID workspace, double threshold) {
		this.jdbc.sql("""
				UPDATE workspaces SET settings = jsonb_set(settings, '{confidence_threshold}', to_jsonb(CAST(:t AS float8)))
				WHERE id = :ws
				""").param("t", threshold).param("ws", workspace).update();
	}

	/** A question Clara could not answer, as the chat turn records it. */
	EventEnvelope<QuestionAsked> gapQuestion(UUID workspace, UUID conversation, String question, Instant askedAt) {
		return gapQuestion(workspace, conversation, question, askedAt, MODEL, null);
	}

	/** The same, carrying the vector the chat turn searched with ({@code model}'s). */
	EventEnvelope<QuestionAsked> gapQuestion(UUID workspace, UUID conversation, String question, Instant askedAt,
			String model, float[] vector) {
		return EventCodec.envelope(workspace, askedAt, new QuestionAsked(conversation, UUID.randomUUID(), question,
				"I don't know that yet; here is how to reach us.", null, 0.21, 0.55, true, model, askedAt, null, vector));
	}

	EventEnvelope<QuestionAsked> answeredQuestion(UUID workspace, UUID conversation, UUID pair, String question) {
		Instant now = Instant.now();
		return EventCodec.envelope(workspace, now, new QuestionAsked(conversation, UUID.randomUUID(), question,
				"Here is the answer.", pair, 0.91, 0.55, false, MODEL, now));
	}

	/** A visitor's rating of an answer the chat gave with confidence, from the pair {@code pair} (or none). */
	EventEnvelope<AnswerRated> rated(UUID workspace, UUID conversation, UUID pair, String question, String rating,
			String comment) {
		Instant now = Instant.now();
		return EventCodec.envelope(workspace, now, new AnswerRated(conversation, UUID.randomUUID(), question,
				"Here is the answer.", pair == null ? List.of() : List.of(pair), 0.91, rating, comment, now));
	}

	/** Kind and comment of a gap (columns of V39). */
	record Feedback(String kind, String comment) {
	}

	Feedback feedbackOf(UUID gap) {
		return this.jdbc.sql("SELECT kind, feedback_comment FROM qa_gaps WHERE id = :id")
			.param("id", gap)
			.query((rs, n) -> new Feedback(rs.getString("kind"), rs.getString("feedback_comment")))
			.single();
	}

	EventEnvelope<QaPairEmbedded> embedded(UUID workspace, UUID pair, String question) {
		Instant now = Instant.now();
		return EventCodec.envelope(workspace, now, new QaPairEmbedded(pair, question, MODEL, now));
	}

	void publish(String topic, EventEnvelope<?> envelope) {
		publishRaw(topic, envelope.workspaceId().toString(), this.codec.toJson(envelope),
				envelope.eventId().toString(), envelope.eventType());
	}

	/** Sends without waiting (see {@link #flush()}). */
	void publishAsync(EventEnvelope<?> envelope) {
		ProducerRecord<String, String> record = new ProducerRecord<>(this.questions, envelope.workspaceId().toString(),
				this.codec.toJson(envelope));
		record.headers().add(EventHeaders.EVENT_ID, envelope.eventId().toString().getBytes(StandardCharsets.UTF_8));
		record.headers().add(EventHeaders.EVENT_TYPE, envelope.eventType().getBytes(StandardCharsets.UTF_8));
		this.producer.send(record);
	}

	void flush() {
		this.producer.flush();
	}

	void publishRaw(String topic, String key, String value, String eventId, String eventType) {
		ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
		if (eventId != null) {
			record.headers().add(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
		}
		if (eventType != null) {
			record.headers().add(EventHeaders.EVENT_TYPE, eventType.getBytes(StandardCharsets.UTF_8));
		}
		this.producer.send(record);
		this.producer.flush();
	}

	/** A gap row, as the tests look at it. */
	record Gap(UUID id, UUID groupId, String question, int askCount, String status, UUID resolvedQaId,
			boolean resolvedAutomatically, UUID bestMatchId, Double similarity, UUID sessionId, String aiAnswer,
			String embeddingModel) {
	}

	List<Gap> gaps(UUID workspace) {
		return this.jdbc.sql("""
				SELECT id, group_id, question, ask_count, status, resolved_qa_id, resolved_automatically, best_match_id,
				       similarity_score, session_id, ai_answer, embedding_model
				FROM qa_gaps WHERE workspace_id = :ws ORDER BY created_at, id
				""").param("ws", workspace).query((rs, n) -> new Gap(rs.getObject("id", UUID.class),
						rs.getObject("group_id", UUID.class), rs.getString("question"), rs.getInt("ask_count"),
						rs.getString("status"), rs.getObject("resolved_qa_id", UUID.class),
						rs.getBoolean("resolved_automatically"), rs.getObject("best_match_id", UUID.class),
						(Double) rs.getObject("similarity_score"), rs.getObject("session_id", UUID.class),
						rs.getString("ai_answer"), rs.getString("embedding_model")))
			.list();
	}

	Gap gap(UUID id) {
		return this.jdbc.sql("SELECT workspace_id FROM qa_gaps WHERE id = :id")
			.param("id", id)
			.query(UUID.class)
			.optional()
			.map(ws -> gaps(ws).stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow())
			.orElseThrow();
	}

	/**
	 * The {@code GapDetected} events of the workspace in the outbox, oldest first; each one is
	 * checked against the published JSON Schema and read back with the codec on the way.
	 */
	List<GapDetected> events(UUID workspace) {
		List<String> payloads = this.jdbc.sql("""
				SELECT payload::text FROM outbox_events
				WHERE workspace_id = :ws AND event_type = 'GapDetected' ORDER BY created_at, occurred_at
				""").param("ws", workspace).query(String.class).list();
		List<GapDetected> events = new ArrayList<>();
		for (String payload : payloads) {
			assertThat(this.gapDetectedSchema.validate(payload, InputFormat.JSON,
					(context) -> context.executionConfig((config) -> config.formatAssertionsEnabled(true))))
				.as("GapDetected outbox payload %s", payload)
				.isEmpty();
			EventEnvelope<GapDetected> envelope = this.codec.fromJson(payload, GapDetected.class);
			assertThat(envelope.workspaceId()).isEqualTo(workspace);
			events.add(envelope.payload());
		}
		this.jdbc.sql("""
				SELECT count(*) FROM outbox_events
				WHERE workspace_id = :ws AND event_type = 'GapDetected'
				  AND (aggregate_type <> 'qa_gap' OR aggregate_id <> payload #>> '{payload,gap_id}'
				       OR id::text <> payload ->> 'event_id' OR event_version <> 1)
				""").param("ws", workspace).query(Long.class).optional().ifPresent(bad -> assertThat(bad)
					.as("outbox rows whose columns disagree with their payload")
					.isZero());
		return events;
	}

	long processed(UUID eventId) {
		return this.jdbc.sql("SELECT count(*) FROM processed_events WHERE consumer = 'gap-detector' AND event_id = :id")
			.param("id", eventId)
			.query(Long.class)
			.single();
	}

	@Override
	public void close() {
		this.producer.close();
		try (var admin = LocalKafka.admin()) {
			admin.deleteTopics(List.of(this.questions, this.questions + "-dlt", this.pairsEmbedded,
					this.pairsEmbedded + "-dlt", this.feedback, this.feedback + "-dlt", this.documentsIngested,
					this.documentsIngested + "-dlt"));
		}
		this.database.close();
	}

}
