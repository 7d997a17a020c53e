package dev.clara.embedding.documents;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.embedding.EmbeddingWorkerApplication;
import dev.clara.schema.Migrations;
import dev.clara.shared.events.DocumentChanged;
import dev.clara.shared.events.DocumentIngested;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventHeaders;
import dev.clara.testing.LocalKafka;
import dev.clara.testing.LocalPostgres;
import dev.clara.testing.TestDatabase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker in this JVM consuming a documents topic of the test's own: each format ends ready
 * with embedded chunks, a new version replaces the old one's chunks, hostile files end failed
 * once with the owner's reason, and the worker goes on with the next document.
 */
class DocumentIngestionIntegrationTests {

	static final EventCodec CODEC = new EventCodec();

	static TestDatabase database;

	static JdbcClient jdbc;

	static String topic;

	static String pairTopic;

	static KafkaProducer<String, String> producer;

	static ConfigurableApplicationContext worker;

	@BeforeAll
	static void start() {
		database = LocalPostgres.createMigratedDatabase("document_ingestion", Migrations::migrate);
		jdbc = JdbcClient.create(database.dataSource());
		topic = LocalKafka.createTopic("documents", 6);
		LocalKafka.createTopicNamed(topic + "-dlt", 6);
		pairTopic = LocalKafka.createTopic("document_pairs", 6);
		LocalKafka.createTopicNamed(pairTopic + "-dlt", 6);
		producer = LocalKafka.producer();
		worker = new SpringApplicationBuilder(EmbeddingWorkerApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=postgres",
				"--spring.kafka.bootstrap-servers=" + LocalKafka.bootstrapServers(),
				"--clara.worker.changes-topic=" + pairTopic, "--clara.worker.backfill-on-startup=false",
				"--clara.trainer.enabled=false", "--clara.documents.changes-topic=" + topic,
				"--clara.documents.chunk-chars=400", "--clara.documents.overlap-chars=80");
	}

	@AfterAll
	static void stop() {
		worker.close();
		producer.close();
		try (var admin = LocalKafka.admin()) {
			admin.deleteTopics(List.of(topic, topic + "-dlt", pairTopic, pairTopic + "-dlt"));
		}
		database.close();
	}

	@Test
	void eachFormatEndsReadyWithEmbeddedChunksThatKeepTheirHeadings() {
		UUID workspace = database.newOwnerWorkspace();
		String markdown = "# Returns\n\nYou can return any item within 30 days of delivery.\n\n## Refunds\n\n"
				+ "Refunds reach your card within five working days.\n";
		UUID md = upload(workspace, "text/markdown", markdown.getBytes(StandardCharsets.UTF_8));
		UUID html = upload(workspace, "text/html", """
				<!DOCTYPE html><html><head><title>Help</title><script>var hidden = 1;</script></head>
				<body><h1>Opening hours</h1><p>The shop opens at nine and closes at five.</p></body></html>
				""".getBytes(StandardCharsets.UTF_8));
		UUID text = upload(workspace, "text/plain", "Parking is free for customers.".getBytes(StandardCharsets.UTF_8));
		UUID pdf = upload(workspace, "application/pdf", HostileFiles.pdf("Warranty lasts two years.",
				"Batteries are covered for one year."));
		UUID docx = upload(workspace, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
				HostileFiles.docx(HostileFiles.wordBody("Shipping", "We ship to every country in Europe.")));

		for (UUID document : List.of(md, html, text, pdf, docx)) {
			awaitStatus(document, "ready");
			assertThat(jdbc.sql("""
					SELECT count(*) FROM document_chunks
					WHERE document_id = :id AND (embedding IS NULL OR embedding_model IS NULL)
					""").param("id", document).query(Long.class).single()).isZero();
		}
		assertThat(chunks(md)).containsExactly("You can return any item within 30 days of delivery.",
				"Refunds reach your card within five working days.");
		assertThat(headings(md)).containsExactly("Returns", "Returns › Refunds");
		assertThat(String.join(" ", chunks(html))).contains("The shop opens at nine and closes at five.")
			.doesNotContain("hidden");
		assertThat(headings(html)).contains("Opening hours");
		assertThat(chunks(text)).containsExactly("Parking is free for customers.");
		assertThat(String.join(" ", chunks(pdf))).contains("Warranty lasts two years.")
			.contains("Batteries are covered for one year.");
		// the version's figures for the operator: the child's page count and peak memory, the steps' times
		assertThat(jdbc.sql("""
				SELECT (metadata->>'pages')::int AS pages, (metadata->>'extraction_peak_rss_kb')::bigint AS rss,
				       (metadata->>'embedded')::int AS embedded,
				       num_nonnulls(metadata->>'embedding_ms', metadata->>'chunking_ms', metadata->>'parse_ms',
				                    metadata->>'extraction_ms') = 4 AS timed
				FROM documents WHERE id = :id
				""").param("id", pdf).query((row, i) -> List.of(row.getInt("pages"), row.getLong("rss") > 0,
						row.getInt("embedded"), row.getBoolean("timed"))).single())
			.containsExactly(2, true, chunks(pdf).size(), true);
		assertThat(chunks(docx)).containsExactly("We ship to every country in Europe.");
		assertThat(headings(docx)).containsExactly("Shipping");
		// the workspace now searches with the worker's model, and each version was announced once
		assertThat(jdbc.sql("SELECT search_model FROM workspaces WHERE id = :ws").param("ws", workspace)
			.query(String.class).single()).isEqualTo(worker.getBean(dev.clara.shared.embedding.EmbeddingProvider.class).modelId());
		assertThat(ingested(md)).extracting(DocumentIngested::status).containsExactly(DocumentIngested.READY);
		assertThat(ingested(md).get(0).chunkCount()).isEqualTo(2);
	}

	@Test
	void aNewVersionReplacesThePreviousChunksOnlyOnceItIsReady() {
		UUID workspace = database.newOwnerWorkspace();
		UUID document = upload(workspace, "text/plain", "Returns are accepted for 30 days.".getBytes(StandardCharsets.UTF_8));
		awaitStatus(document, "ready");
		newVersion(workspace, document, 2, "text/plain", "Returns are accepted for 60 days now.".getBytes(StandardCharsets.UTF_8));
		awaitStatus(document, "ready", 2);
		assertThat(chunks(document)).containsExactly("Returns are accepted for 60 days now.");
		assertThat(jdbc.sql("SELECT serving_version FROM documents WHERE id = :id").param("id", document)
			.query(Integer.class).single()).isEqualTo(2);

		// a version that cannot be read leaves the previous one answering
		newVersion(workspace, document, 3, "application/pdf", HostileFiles.encryptedPdf());
		awaitStatus(document, "failed", 3);
		assertThat(chunks(document)).containsExactly("Returns are accepted for 60 days now.");
		assertThat(jdbc.sql("SELECT serving_version FROM documents WHERE id = :id").param("id", document)
			.query(Integer.class).single()).isEqualTo(2);

		// a repeated event of a finished version changes nothing
		publish(workspace, new DocumentChanged(document, DocumentChanged.UPLOADED, 2, "text/plain", 10));
		publish(workspace, new DocumentChanged(document, DocumentChanged.UPLOADED, 3, "application/pdf", 10));
		UUID marker = upload(workspace, "text/plain", "A later document.".getBytes(StandardCharsets.UTF_8));
		awaitStatus(marker, "ready");
		assertThat(ingested(document)).extracting(DocumentIngested::version).containsExactly(1, 2, 3);
	}

	@Test
	void hostileFilesEndFailedOnceWithAReasonAndTheWorkerGoesOn() {
		UUID workspace = database.newOwnerWorkspace();
		UUID encrypted = upload(workspace, "application/pdf", HostileFiles.encryptedPdf());
		UUID emptyPages = upload(workspace, "application/pdf", HostileFiles.emptyPages(10_000));
		UUID xxe = upload(workspace, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
				HostileFiles.xxeDocx());
		UUID bomb = upload(workspace, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
				HostileFiles.zipBombDocx(300));
		UUID garbage = upload(workspace, "application/pdf", "%PDF-1.7\nthis is not a PDF at all".getBytes(StandardCharsets.US_ASCII));
		UUID good = upload(workspace, "text/plain", "The helpdesk answers within a day.".getBytes(StandardCharsets.UTF_8));

		assertThat(awaitStatus(encrypted, "failed")).contains("password");
		assertThat(awaitStatus(emptyPages, "failed")).contains("no text");
		assertThat(awaitStatus(xxe, "failed")).doesNotContain("root:");
		assertThat(awaitStatus(bomb, "failed")).containsAnyOf("compression bomb", "characters of text", "too large");
		assertThat(awaitStatus(garbage, "failed")).contains("could not be read as a PDF");
		awaitStatus(good, "ready");
		for (UUID failed : List.of(encrypted, emptyPages, xxe, bomb, garbage)) {
			assertThat(chunks(failed)).isEmpty();
			assertThat(ingested(failed)).extracting(DocumentIngested::status).containsExactly(DocumentIngested.FAILED);
		}
		// nothing of /etc/passwd anywhere
		assertThat(jdbc.sql("SELECT count(*) FROM document_chunks WHERE content LIKE '%root:%'").query(Long.class)
			.single()).isZero();
		assertThat(worker.isActive()).isTrue();
	}

	@Test
	void anIngestionThatDiedMidwayIsResumedWithEachChunkOnce() {
		UUID workspace = database.newOwnerWorkspace();
		byte[] text = "Parking is free for customers. The car park opens at seven.".getBytes(StandardCharsets.UTF_8);
		UUID document = insertDocument(workspace, "text/plain", text);
		// as a worker killed after storing the chunk and before embedding it leaves the version
		jdbc.sql("UPDATE documents SET status = 'processing' WHERE id = :id").param("id", document).update();
		jdbc.sql("""
				INSERT INTO document_chunks (document_id, workspace_id, document_version, chunk_index, content, metadata)
				VALUES (:id, :ws, 1, 0, 'Parking is free for customers. The car park opens at seven.', '{"heading": ""}')
				""").param("id", document).param("ws", workspace).update();
		publish(workspace, new DocumentChanged(document, DocumentChanged.UPLOADED, 1, "text/plain", text.length));
		awaitStatus(document, "ready");
		assertThat(chunks(document)).containsExactly("Parking is free for customers. The car park opens at seven.");
		assertThat(jdbc.sql("SELECT count(*) FROM document_chunks WHERE document_id = :id AND embedding IS NOT NULL")
			.param("id", document).query(Long.class).single()).isEqualTo(1);
		assertThat(ingested(document)).hasSize(1);
	}

	@Test
	void aModelSwitchStagesTheServingChunksAndTheBackfillMovesTheWorkspace() throws Exception {
		String model = worker.getBean(dev.clara.shared.embedding.EmbeddingProvider.class).modelId();
		String old = model.equals("bge-small-en-v1.5-q") ? "all-minilm-l6-v2-q" : "bge-small-en-v1.5-q";
		UUID workspace = database.newOwnerWorkspace();
		UUID document = insertDocument(workspace, "text/plain", "Old text.".getBytes(StandardCharsets.UTF_8));
		jdbc.sql("UPDATE workspaces SET search_model = :old WHERE id = :ws").param("old", old).param("ws", workspace).update();
		jdbc.sql("UPDATE documents SET status = 'ready', serving_version = 1 WHERE id = :id").param("id", document).update();
		String vector = "[" + String.join(",", java.util.Collections.nCopies(384, "0.05")) + "]";
		for (int i = 0; i < 2; i++) {
			jdbc.sql("""
					INSERT INTO document_chunks (document_id, workspace_id, document_version, chunk_index, content,
					                             embedding, embedding_model, embedded_at)
					VALUES (:id, :ws, 1, :i, :content, CAST(:vector AS extensions.vector), :old, now())
					""").param("id", document).param("ws", workspace).param("i", i).param("content", "Passage " + i + ".")
				.param("vector", vector).param("old", old).update();
		}
		String port = worker.getEnvironment().getProperty("local.server.port");
		var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/backfill"))
			.POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
				java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(jdbc.sql("SELECT search_model FROM workspaces WHERE id = :ws").param("ws", workspace)
			.query(String.class).single()).isEqualTo(model);
		assertThat(jdbc.sql("SELECT DISTINCT embedding_model FROM document_chunks WHERE document_id = :id")
			.param("id", document).query(String.class).list()).containsExactly(model);
		assertThat(jdbc.sql("SELECT count(*) FROM document_chunk_staged_embeddings WHERE workspace_id = :ws")
			.param("ws", workspace).query(Long.class).single()).isZero();
	}

	// ───────────────────────────── helpers ─────────────────────────────

	/** What chat-api's upload leaves: the row, the stored file and the event. */
	static UUID upload(UUID workspace, String type, byte[] content) {
		UUID id = insertDocument(workspace, type, content);
		publish(workspace, new DocumentChanged(id, DocumentChanged.UPLOADED, 1, type, content.length));
		return id;
	}

	static UUID insertDocument(UUID workspace, String type, byte[] content) {
		UUID id = UUID.randomUUID();
		String path = workspace + "/" + id + "/v1";
		jdbc.sql("""
				INSERT INTO documents (id, workspace_id, title, file_path, file_type, file_size, status, version)
				VALUES (:id, :ws, 'A document', :path, :type, :size, 'pending', 1)
				""").param("id", id).param("ws", workspace).param("path", path).param("type", type)
			.param("size", content.length).update();
		store(workspace, path, type, content);
		return id;
	}

	static void newVersion(UUID workspace, UUID id, int version, String type, byte[] content) {
		String path = workspace + "/" + id + "/v" + version;
		jdbc.sql("UPDATE documents SET version = :v, status = 'pending', failure_reason = NULL, file_path = :path, file_type = :type WHERE id = :id")
			.param("v", version).param("path", path).param("type", type).param("id", id).update();
		store(workspace, path, type, content);
		publish(workspace, new DocumentChanged(id, DocumentChanged.UPLOADED, version, type, content.length));
	}

	static void store(UUID workspace, String path, String type, byte[] content) {
		UUID object = jdbc.sql("INSERT INTO storage.objects (bucket_id, name) VALUES ('documents', :name) RETURNING id")
			.param("name", path).query(UUID.class).single();
		jdbc.sql("""
				INSERT INTO storage_object_contents (object_id, workspace_id, content, content_type, sha256)
				VALUES (:id, :ws, :content, :type, repeat('0', 64))
				""").param("id", object).param("ws", workspace).param("content", content).param("type", type).update();
	}

	static void publish(UUID workspace, DocumentChanged change) {
		var envelope = EventCodec.envelope(workspace, Instant.now(), change);
		ProducerRecord<String, String> record = new ProducerRecord<>(topic, workspace.toString(), CODEC.toJson(envelope));
		record.headers().add(EventHeaders.EVENT_ID, envelope.eventId().toString().getBytes());
		record.headers().add(EventHeaders.EVENT_TYPE, envelope.eventType().getBytes());
		producer.send(record);
		producer.flush();
	}

	static String awaitStatus(UUID document, String status) {
		return awaitStatus(document, status, 1);
	}

	/** Waits for the version to reach {@code status}; the failure reason (or null). */
	static String awaitStatus(UUID document, String status, int version) {
		await().atMost(Duration.ofMinutes(3)).until(() -> jdbc
			.sql("SELECT count(*) FROM documents WHERE id = :id AND status = :status AND version = :version")
			.param("id", document).param("status", status).param("version", version)
			.query(Long.class).single() == 1);
		return jdbc.sql("SELECT failure_reason FROM documents WHERE id = :id").param("id", document)
			.query(String.class).optional().orElse(null);
	}

	static List<String> chunks(UUID document) {
		return jdbc.sql("SELECT content FROM document_chunks WHERE document_id = :id ORDER BY document_version, chunk_index")
			.param("id", document).query(String.class).list();
	}

	static List<String> headings(UUID document) {
		return jdbc.sql("SELECT metadata->>'heading' FROM document_chunks WHERE document_id = :id ORDER BY chunk_index")
			.param("id", document).query(String.class).list();
	}

	static List<DocumentIngested> ingested(UUID document) {
		List<DocumentIngested> events = new ArrayList<>();
		for (String json : jdbc.sql("""
				SELECT payload::text FROM outbox_events
				WHERE event_type = 'DocumentIngested' AND aggregate_id = :id ORDER BY occurred_at
				""").param("id", document.toString()).query(String.class).list()) {
			events.add(CODEC.fromJson(json, DocumentIngested.class).payload());
		}
		return events;
	}

}
