package dev.clara.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the servers {@code ./clara} starts are the real thing: pgvector works, logical
 * replication is enabled, and the broker stores and returns acknowledged records.
 */
class LocalStackSmokeIntegrationTests {

	private static TestDatabase database;

	@BeforeAll
	static void createDatabase() {
		database = LocalPostgres.createDatabase("smoke");
	}

	@AfterAll
	static void dropDatabase() {
		database.close();
	}

	@Test
	void pgvectorOrdersByCosineDistance() throws SQLException {
		try (Connection connection = database.connectAsSuperuser(); Statement statement = connection.createStatement()) {
			statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
			statement.execute("CREATE TABLE items (name text, embedding vector(3))");
			statement.execute("INSERT INTO items VALUES ('same direction', '[2,4,6]'), ('orthogonal', '[3,0,-1]'),"
					+ " ('opposite', '[-1,-2,-3]'), ('close', '[1,2,2.5]')");
			List<String> order = new ArrayList<>();
			List<Double> distances = new ArrayList<>();
			try (ResultSet rows = statement
				.executeQuery("SELECT name, embedding <=> '[1,2,3]' FROM items ORDER BY embedding <=> '[1,2,3]'")) {
				while (rows.next()) {
					order.add(rows.getString(1));
					distances.add(rows.getDouble(2));
				}
			}
			assertThat(order).containsExactly("same direction", "close", "orthogonal", "opposite");
			assertThat(distances.get(0)).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-6));
			assertThat(distances.get(3)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-6));
		}
	}

	@Test
	void logicalReplicationSlotCanBeCreatedAndDropped() throws SQLException {
		String slot = "smoke_" + UUID.randomUUID().toString().substring(0, 8);
		try (Connection connection = database.connectAsSuperuser(); Statement statement = connection.createStatement()) {
			try (ResultSet level = statement.executeQuery("SHOW wal_level")) {
				level.next();
				assertThat(level.getString(1)).isEqualTo("logical");
			}
			statement.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
			assertThat(slotCount(statement, slot)).isEqualTo(1);
			statement.execute("SELECT pg_drop_replication_slot('" + slot + "')");
			assertThat(slotCount(statement, slot)).isZero();
		}
	}

	private static int slotCount(Statement statement, String slot) throws SQLException {
		try (ResultSet rows = statement.executeQuery(
				"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "' AND plugin = 'pgoutput'")) {
			rows.next();
			return rows.getInt(1);
		}
	}

	@Test
	void recordProducedWithAcksAllIsConsumedBack() throws Exception {
		String topic = LocalKafka.createTopic("smoke", 6);
		String key = UUID.randomUUID().toString();
		RecordMetadata written;
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer())) {
			written = producer.send(new ProducerRecord<>(topic, key, "{\"hello\":\"clara\"}")).get();
		}
		assertThat(written.hasOffset()).isTrue();

		List<ConsumerRecord<String, String>> received;
		try {
			received = LocalKafka.readAll(topic, 1, Duration.ofSeconds(30));
		}
		finally {
			try (var admin = LocalKafka.admin()) {
				admin.deleteTopics(List.of(topic)).all().get();
			}
		}
		assertThat(received).singleElement().satisfies(record -> {
			assertThat(record.key()).isEqualTo(key);
			assertThat(record.value()).isEqualTo("{\"hello\":\"clara\"}");
			assertThat(record.partition()).isEqualTo(written.partition());
		});
	}

}
