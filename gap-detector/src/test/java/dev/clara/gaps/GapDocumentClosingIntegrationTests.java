package dev.clara.gaps;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.gaps.GapFixture.Gap;
import dev.clara.shared.events.DocumentIngested;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A document that becomes ready resolves the open gaps one of its passages answers, and only those. */
class GapDocumentClosingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	static GapFixture fixture;

	static ConfigurableApplicationContext detector;

	@BeforeAll
	static void start() {
		fixture = new GapFixture("gap_documents");
		detector = new SpringApplicationBuilder(GapDetectorApplication.class)
			.run(fixture.detectorArguments("gap-detector-" + UUID.randomUUID()).toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		detector.close();
		fixture.close();
	}

	@Test
	void aReadyDocumentResolvesTheGapsItsPassagesAnswer() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		for (String question : List.of("How long is the warranty on the kettle?", "Do you ship to Norway?")) {
			fixture.publish(fixture.questions, fixture.gapQuestion(workspace, conversation, question, Instant.now()));
		}
		await().atMost(WAIT).until(() -> fixture.gaps(workspace).size() == 2);

		UUID document = fixture.jdbc.sql("""
				INSERT INTO documents (workspace_id, title, file_type, status, version, serving_version)
				VALUES (:ws, 'Kettle warranty', 'text/plain', 'ready', 1, 1) RETURNING id
				""").param("ws", workspace).query(UUID.class).single();
		String text = "Warranty\nEvery Acme kettle comes with a two-year warranty. The warranty covers defects in "
				+ "materials and workmanship.";
		fixture.jdbc.sql("""
				INSERT INTO document_chunks (document_id, workspace_id, document_version, chunk_index, content,
				                             embedding, embedding_model, embedded_at)
				VALUES (:document, :ws, 1, 0, :content, CAST(:embedding AS extensions.vector), :model, now())
				""").param("document", document).param("ws", workspace).param("content", text)
			.param("embedding", new PGvector(fixture.provider.embed(text))).param("model", GapFixture.MODEL).update();

		// a failed version resolves nothing
		EventEnvelope<DocumentIngested> failed = EventCodec.envelope(workspace, Instant.now(), new DocumentIngested(
				document, 2, DocumentIngested.FAILED, 0, null, "The file is protected by a password.", Instant.now()));
		fixture.publish(fixture.documentsIngested, failed);
		await().atMost(WAIT).until(() -> fixture.processed(failed.eventId()) == 1);
		assertThat(fixture.gaps(workspace)).extracting(Gap::status).containsOnly("open");

		EventEnvelope<DocumentIngested> ready = EventCodec.envelope(workspace, Instant.now(), new DocumentIngested(
				document, 1, DocumentIngested.READY, 1, GapFixture.MODEL, null, Instant.now()));
		fixture.publish(fixture.documentsIngested, ready);
		await().atMost(WAIT).until(() -> fixture.processed(ready.eventId()) == 1);

		List<Gap> rows = fixture.gaps(workspace);
		assertThat(rows).filteredOn(gap -> gap.question().contains("warranty")).singleElement().satisfies(gap -> {
			assertThat(gap.status()).isEqualTo("resolved");
			assertThat(gap.resolvedAutomatically()).isTrue();
			assertThat(gap.resolvedQaId()).isNull();
		});
		assertThat(rows).filteredOn(gap -> gap.question().contains("Norway")).singleElement()
			.satisfies(gap -> assertThat(gap.status()).isEqualTo("open"));
		assertThat(fixture.jdbc.sql("SELECT resolved_document_id FROM qa_gaps WHERE workspace_id = :ws AND status = 'resolved'")
			.param("ws", workspace).query(UUID.class).single()).isEqualTo(document);
		assertThat(fixture.events(workspace)).filteredOn(event -> event.status().equals("resolved")).hasSize(1);

		// a replay changes nothing
		fixture.publish(fixture.documentsIngested, ready);
		EventEnvelope<DocumentIngested> marker = EventCodec.envelope(workspace, Instant.now(), new DocumentIngested(
				document, 1, DocumentIngested.READY, 1, GapFixture.MODEL, null, Instant.now()));
		fixture.publish(fixture.documentsIngested, marker);
		await().atMost(WAIT).until(() -> fixture.processed(marker.eventId()) == 1);
		assertThat(fixture.events(workspace)).filteredOn(event -> event.status().equals("resolved")).hasSize(1);
	}

}
