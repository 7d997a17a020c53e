package dev.clara.embedding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.clara.schema.Migrations;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.EventHeaders;
import dev.clara.shared.events.QaPairChanged;
import dev.clara.testing.LocalKafka;
import dev.clara.testing.LocalPostgres;
import dev.clara.testing.TestDatabase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A migrated database and a changes topic of a test's own, and the change events the CDC relay
 * would publish for the pairs a test writes.
 */
final class WorkerFixture implements AutoCloseable {

	final TestDatabase database;

	final String topic;

	final JdbcClient jdbc;

	private final EventCodec codec = new EventCodec();

	private final KafkaProducer<String, String> producer;

	WorkerFixture(String purpose) {
		this.database = LocalPostgres.createMigratedDatabase(purpose, Migrations::migrate);
		this.topic = LocalKafka.createTopic(purpose, 6);
		LocalKafka.createTopicNamed(this.topic + "-dlt", 6);
		DataSource dataSource = this.database.dataSource();
		this.jdbc = JdbcClient.create(dataSource);
		this.producer = LocalKafka.producer();
	}

	/** Properties that point a worker at this fixture. */
	List<String> workerArguments() {
		return List.of("--spring.datasource.url=" + this.database.jdbcUrl(), "--spring.datasource.username=postgres",
				"--spring.kafka.bootstrap-servers=" + LocalKafka.bootstrapServers(),
				"--clara.worker.changes-topic=" + this.topic, "--clara.worker.backfill-on-startup=false");
	}

	UUID workspace() {
		return this.database.newOwnerWorkspace();
	}

	/** Inserts pairs and publishes their "created" events, as the relay would. */
	List<UUID> createPairs(UUID workspace, List<String> questions) {
		List<UUID> ids = new ArrayList<>();
		for (String question : questions) {
			UUID id = this.jdbc
				.sql("INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (:ws, :q, 'an answer') RETURNING id")
				.param("ws", workspace)
				.param("q", question)
				.query(UUID.class)
				.single();
			ids.add(id);
			publish(workspace, new QaPairChanged(id, QaPairChanged.CREATED, question, null, true, null, Instant.now(), 0));
		}
		this.producer.flush();
		return ids;
	}

	void editQuestion(UUID workspace, UUID pair, String oldQuestion, String newQuestion) {
		this.jdbc.sql("UPDATE qa_pairs SET question = :q WHERE id = :id").param("q", newQuestion).param("id", pair).update();
		publish(workspace,
				new QaPairChanged(pair, QaPairChanged.UPDATED, newQuestion, oldQuestion, true, null, Instant.now(), 0));
		this.producer.flush();
	}

	void publish(UUID workspace, QaPairChanged change) {
		publish(EventCodec.envelope(workspace, Instant.now(), change));
	}

	/** Any event on the changes topic, with the headers the relay would give it. */
	void publish(EventEnvelope<?> envelope) {
		publishRaw(envelope.workspaceId().toString(), this.codec.toJson(envelope), envelope.eventId().toString(),
				envelope.eventType());
	}

	void publishRaw(String key, String value, String eventId, String eventType) {
		ProducerRecord<String, String> record = new ProducerRecord<>(this.topic, key, value);
		record.headers().add(EventHeaders.EVENT_ID, eventId.getBytes());
		record.headers().add(EventHeaders.EVENT_TYPE, eventType.getBytes());
		this.producer.send(record);
		this.producer.flush();
	}

	long embedded(UUID workspace, String model) {
		return this.jdbc.sql("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws AND embedding_model = :model"
				+ " AND embedding IS NOT NULL AND embedded_at >= updated_at")
			.param("ws", workspace)
			.param("model", model)
			.query(Long.class)
			.single();
	}

	@Override
	public void close() {
		this.producer.close();
		try (var admin = LocalKafka.admin()) {
			admin.deleteTopics(List.of(this.topic, this.topic + "-dlt"));
		}
		this.database.close();
	}

}
