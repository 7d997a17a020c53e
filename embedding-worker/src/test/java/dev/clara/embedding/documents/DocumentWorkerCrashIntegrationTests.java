package dev.clara.embedding.documents;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.clara.embedding.EmbeddingWorkerApplication;
import dev.clara.schema.Migrations;
import dev.clara.shared.events.DocumentChanged;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventHeaders;
import dev.clara.testing.LocalKafka;
import dev.clara.testing.LocalPostgres;
import dev.clara.testing.ServiceProcess;
import dev.clara.testing.TestDatabase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A worker in its own JVM killed with SIGKILL mid-document: the restarted one ends it ready, each chunk once. */
class DocumentWorkerCrashIntegrationTests {

	@Test
	void aWorkerKilledMidDocumentAndRestartedEndsItReadyWithEachChunkOnce() throws Exception {
		try (TestDatabase database = LocalPostgres.createMigratedDatabase("document_crash", Migrations::migrate);
				KafkaProducer<String, String> producer = LocalKafka.producer()) {
			JdbcClient jdbc = JdbcClient.create(database.dataSource());
			String topic = LocalKafka.createTopic("document_crash", 3);
			LocalKafka.createTopicNamed(topic + "-dlt", 3);
			String pairs = LocalKafka.createTopic("document_crash_pairs", 3);
			LocalKafka.createTopicNamed(pairs + "-dlt", 3);
			List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=" + database.jdbcUrl(),
					"--spring.datasource.username=postgres", "--spring.kafka.bootstrap-servers=" + LocalKafka.bootstrapServers(),
					"--spring.kafka.consumer.group-id=document-crash-" + UUID.randomUUID(),
					"--clara.worker.changes-topic=" + pairs, "--clara.worker.backfill-on-startup=false",
					"--clara.trainer.enabled=false", "--clara.worker.batch-size=8",
					"--clara.documents.changes-topic=" + topic));
			args.addAll(LocalKafka.SHORT_SESSION_ARGUMENTS);
			try {
				UUID workspace = database.newOwnerWorkspace();
				String text = IntStream.range(0, 1200)
					.mapToObj(i -> "Paragraph " + i + " explains how feature " + i + " of the product works. It needs "
							+ "setting " + i + " turned on first. Owners of plan " + (i % 3) + " can use it at once. "
							+ "Support answers questions about feature " + i + " within a day.")
					.collect(Collectors.joining("\n\n"));
				int expected = new Chunker(1000, 200).split(text).size();
				UUID document = UUID.randomUUID();
				String path = workspace + "/" + document + "/v1";
				jdbc.sql("""
						INSERT INTO documents (id, workspace_id, title, file_path, file_type, file_size, status, version)
						VALUES (:id, :ws, 'Features', :path, 'text/plain', 1, 'pending', 1)
						""").param("id", document).param("ws", workspace).param("path", path).update();
				UUID object = jdbc.sql("INSERT INTO storage.objects (bucket_id, name) VALUES ('documents', :name) RETURNING id")
					.param("name", path).query(UUID.class).single();
				jdbc.sql("""
						INSERT INTO storage_object_contents (object_id, workspace_id, content, content_type, sha256)
						VALUES (:id, :ws, :content, 'text/plain', repeat('0', 64))
						""").param("id", object).param("ws", workspace)
					.param("content", text.getBytes(StandardCharsets.UTF_8)).update();

				ServiceProcess first = ServiceProcess.start(EmbeddingWorkerApplication.class, "document-crash-1", args);
				var envelope = EventCodec.envelope(workspace, Instant.now(),
						new DocumentChanged(document, DocumentChanged.UPLOADED, 1, "text/plain", text.length()));
				ProducerRecord<String, String> record = new ProducerRecord<>(topic, workspace.toString(),
						new EventCodec().toJson(envelope));
				record.headers().add(EventHeaders.EVENT_ID, envelope.eventId().toString().getBytes());
				record.headers().add(EventHeaders.EVENT_TYPE, envelope.eventType().getBytes());
				producer.send(record);
				producer.flush();
				await().atMost(Duration.ofMinutes(3)).until(() -> embedded(jdbc, document) >= 8);
				first.kill();

				Map<Integer, Instant> before = embeddedAt(jdbc, document);
				assertThat(before.size()).isLessThan(expected);
				try (ServiceProcess second = ServiceProcess.start(EmbeddingWorkerApplication.class, "document-crash-2", args)) {
					await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> jdbc
						.sql("SELECT status FROM documents WHERE id = :id").param("id", document).query(String.class)
						.single().equals("ready"));
				}
				assertThat(jdbc.sql("SELECT count(*) FROM document_chunks WHERE document_id = :id").param("id", document)
					.query(Long.class).single()).isEqualTo(expected);
				assertThat(embedded(jdbc, document)).isEqualTo(expected);
				// the chunks embedded before the kill were not embedded again
				Map<Integer, Instant> after = embeddedAt(jdbc, document);
				before.forEach((index, at) -> assertThat(after.get(index)).as("chunk %d", index).isEqualTo(at));
				assertThat(jdbc.sql("""
						SELECT count(*) FROM outbox_events WHERE event_type = 'DocumentIngested' AND aggregate_id = :id
						""").param("id", document.toString()).query(Long.class).single()).isEqualTo(1);
			}
			finally {
				try (var admin = LocalKafka.admin()) {
					admin.deleteTopics(List.of(topic, topic + "-dlt", pairs, pairs + "-dlt"));
				}
			}
		}
	}

	private static long embedded(JdbcClient jdbc, UUID document) {
		return jdbc.sql("SELECT count(*) FROM document_chunks WHERE document_id = :id AND embedding IS NOT NULL")
			.param("id", document).query(Long.class).single();
	}

	private static Map<Integer, Instant> embeddedAt(JdbcClient jdbc, UUID document) {
		return jdbc.sql("SELECT chunk_index, embedded_at FROM document_chunks WHERE document_id = :id AND embedded_at IS NOT NULL")
			.param("id", document)
			.query((row, i) -> Map.entry(row.getInt(1), row.getObject(2, java.time.OffsetDateTime.class).toInstant()))
			.list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

}
