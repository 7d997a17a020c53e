package dev.clara.embedding.training;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.schema.Migrations;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.EventHeaders;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.testing.LocalKafka;
import dev.clara.testing.LocalPostgres;
import dev.clara.testing.TestDatabase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A database and topics of a test's own, knowledge bases of synthetic vectors (each answer group a
 * random direction, its phrasings that direction plus noise: separable, like real phrasings of one
 * question), and the {@code QaPairEmbedded} events the relay would publish for them.
 */
final class TrainerFixture implements AutoCloseable {

	static final int DIMENSIONS = 384;

	final TestDatabase database;

	final JdbcClient jdbc;

	final String changesTopic;

	final String embeddedTopic;

	private final EventCodec codec = new EventCodec();

	private final KafkaProducer<String, String> producer = LocalKafka.producer();

	private final Random random = new Random(7);

	TrainerFixture(String purpose) {
		this.database = LocalPostgres.createMigratedDatabase(purpose, Migrations::migrate);
		this.jdbc = JdbcClient.create(this.database.dataSource());
		this.changesTopic = LocalKafka.createTopic(purpose + "_changes", 3);
		this.embeddedTopic = LocalKafka.createTopic(purpose + "_embedded", 3);
		LocalKafka.createTopicNamed(this.changesTopic + "-dlt", 3);
		LocalKafka.createTopicNamed(this.embeddedTopic + "-dlt", 3);
	}

	List<String> workerArguments() {
		return List.of("--spring.datasource.url=" + this.database.jdbcUrl(), "--spring.datasource.username=postgres",
				"--spring.kafka.bootstrap-servers=" + LocalKafka.bootstrapServers(), "--server.port=0",
				"--clara.worker.changes-topic=" + this.changesTopic, "--clara.worker.backfill-on-startup=false",
				"--clara.worker.dlt-partitions=3", "--clara.trainer.embedded-topic=" + this.embeddedTopic,
				"--clara.trainer.poll-interval=200ms");
	}

	UUID workspace() {
		return this.database.newOwnerWorkspace();
	}

	/** A random unit direction: one answer group's meaning. */
	float[] direction() {
		float[] v = new float[DIMENSIONS];
		for (int d = 0; d < DIMENSIONS; d++) {
			v[d] = (float) this.random.nextGaussian();
		}
		return unit(v);
	}

	/** A phrasing near {@code direction}. */
	float[] near(float[] direction, double noise) {
		float[] v = new float[DIMENSIONS];
		for (int d = 0; d < DIMENSIONS; d++) {
			v[d] = (float) (direction[d] + noise * this.random.nextGaussian() / Math.sqrt(DIMENSIONS));
		}
		return unit(v);
	}

	/** Inserts {@code perGroup} embedded phrasings of each answer; returns the pair ids, group by group. */
	List<UUID> insertPairs(UUID workspace, String model, List<float[]> directions, int perGroup, String answerPrefix) {
		List<UUID> ids = new ArrayList<>();
		for (int g = 0; g < directions.size(); g++) {
			for (int p = 0; p < perGroup; p++) {
				ids.add(insertPair(workspace, model, "question " + g + "." + p, answerPrefix + " answer " + g,
						near(directions.get(g), 0.8)));
			}
		}
		return ids;
	}

	UUID insertPair(UUID workspace, String model, String question, String answer, float[] vector) {
		return this.jdbc.sql("""
				INSERT INTO qa_pairs (workspace_id, question, answer, embedding, embedding_model, embedded_at)
				VALUES (:ws, :q, :a, CAST(:v AS extensions.vector), :model, now()) RETURNING id""")
			.param("ws", workspace)
			.param("q", question)
			.param("a", answer)
			.param("v", new PGvector(vector))
			.param("model", model)
			.query(UUID.class)
			.single();
	}

	/** The events the relay would publish for pairs that got vectors. */
	void publishEmbedded(UUID workspace, List<UUID> pairs, String model) {
		for (UUID pair : pairs) {
			EventEnvelope<QaPairEmbedded> envelope = EventCodec.envelope(workspace, Instant.now(),
					new QaPairEmbedded(pair, "a question", model, Instant.now()));
			ProducerRecord<String, String> record = new ProducerRecord<>(this.embeddedTopic, workspace.toString(),
					this.codec.toJson(envelope));
			record.headers().add(EventHeaders.EVENT_ID, envelope.eventId().toString().getBytes());
			record.headers().add(EventHeaders.EVENT_TYPE, envelope.eventType().getBytes());
			this.producer.send(record);
		}
		this.producer.flush();
	}

	long versions(UUID workspace) {
		return this.jdbc.sql("SELECT count(*) FROM answer_models WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(Long.class)
			.single();
	}

	boolean waiting(UUID workspace) {
		return this.jdbc.sql("SELECT count(*) FROM answer_model_requests WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(Long.class)
			.single() > 0;
	}

	static float[] unit(float[] v) {
		double sum = 0;
		for (float x : v) {
			sum += x * x;
		}
		float norm = (float) Math.sqrt(sum);
		for (int i = 0; i < v.length; i++) {
			v[i] /= norm;
		}
		return v;
	}

	@Override
	public void close() {
		this.producer.close();
		try (var admin = LocalKafka.admin()) {
			admin.deleteTopics(List.of(this.changesTopic, this.embeddedTopic, this.changesTopic + "-dlt",
					this.embeddedTopic + "-dlt"));
		}
		this.database.close();
	}

}
