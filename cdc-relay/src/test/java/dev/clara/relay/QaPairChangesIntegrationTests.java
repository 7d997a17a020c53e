package dev.clara.relay;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.EventHeaders;
import dev.clara.shared.events.QaPairChanged;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Q&A pair changes on the Q&A changes topic: insert, update with old and new question, a
 * deactivation, a delete; writes of the embedding columns or metadata alone are not published.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QaPairChangesIntegrationTests {

	static final String VECTOR = "array_fill(0.1, ARRAY[384])::real[]::extensions.vector";

	private RelayFixture fixture;

	@BeforeAll
	void setUp() {
		this.fixture = RelayFixture.create("qa_changes");
		this.fixture.startRelay();
	}

	@AfterAll
	void tearDown() {
		this.fixture.close();
	}

	@Test
	void insertsUpdatesAndDeletesArePublishedButEmbeddingWritesAreNot() throws Exception {
		UUID workspace = this.fixture.newWorkspace();
		UUID pair;
		try (Connection c = this.fixture.connect()) {
			pair = (UUID) RelayFixture.single(c,
					"INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (?, 'What are your hours?', '9 to 5.') RETURNING id",
					workspace);
			// the embedding worker's write: embedding columns only (updated_at does not move)
			RelayFixture.update(c, "UPDATE qa_pairs SET embedding = " + VECTOR
					+ ", embedding_model = 'all-minilm-l6-v2-q', embedded_at = now() WHERE id = ?", pair);
			RelayFixture.update(c, "UPDATE qa_pairs SET metadata = '{\"note\": 1}' WHERE id = ?", pair);
			RelayFixture.update(c, "UPDATE qa_pairs SET question = 'When are you open?' WHERE id = ?", pair);
			RelayFixture.update(c, "UPDATE qa_pairs SET answer = 'From 9 to 5, Monday to Friday.' WHERE id = ?", pair);
			RelayFixture.update(c, "UPDATE qa_pairs SET embedding = NULL, embedding_model = NULL, embedded_at = NULL WHERE id = ?",
					pair);
			RelayFixture.update(c, "UPDATE qa_pairs SET is_active = false WHERE id = ?", pair);
			RelayFixture.update(c, "DELETE FROM qa_pairs WHERE id = ?", pair);
		}
		try (TopicReader reader = new TopicReader(this.fixture.qaChanges)) {
			List<EventEnvelope<QaPairChanged>> events = awaitPairEvents(reader, pair, 5);
			assertThat(events).extracting((e) -> e.payload().operation())
				.containsExactly("created", "updated", "updated", "updated", "deleted");
			EventEnvelope<QaPairChanged> created = events.get(0);
			assertThat(created.workspaceId()).isEqualTo(workspace);
			assertThat(created.payload().question()).isEqualTo("What are your hours?");
			assertThat(created.payload().previousQuestion()).isNull();
			assertThat(created.payload().active()).isTrue();
			assertThat(created.payload().embeddingModel()).isNull();
			assertThat(created.payload().contentUpdatedAt()).isNotNull();
			EventEnvelope<QaPairChanged> edited = events.get(1);
			assertThat(edited.payload().question()).isEqualTo("When are you open?");
			assertThat(edited.payload().previousQuestion()).isEqualTo("What are your hours?");
			assertThat(edited.payload().embeddingModel()).isEqualTo("all-minilm-l6-v2-q");
			assertThat(edited.payload().sourceLsn()).isGreaterThan(created.payload().sourceLsn());
			EventEnvelope<QaPairChanged> answer = events.get(2);
			assertThat(answer.payload().question()).isEqualTo("When are you open?");
			assertThat(answer.payload().previousQuestion()).isEqualTo("When are you open?");
			EventEnvelope<QaPairChanged> deactivated = events.get(3);
			assertThat(deactivated.payload().active()).isFalse();
			assertThat(deactivated.payload().embeddingModel()).isNull();
			EventEnvelope<QaPairChanged> deleted = events.get(4);
			assertThat(deleted.payload().question()).isNull();
			assertThat(deleted.payload().active()).isFalse();
			assertThat(events).extracting(EventEnvelope::eventId).doesNotHaveDuplicates();
			ConsumerRecord<String, String> first = reader.poll()
				.stream()
				.filter((r) -> r.value().contains(pair.toString()))
				.findFirst()
				.orElseThrow();
			assertThat(first.key()).isEqualTo(workspace.toString());
			assertThat(RelayFixture.header(first, EventHeaders.EVENT_TYPE)).isEqualTo(QaPairChanged.TYPE);
			assertThat(RelayFixture.header(first, EventHeaders.EVENT_ID)).isEqualTo(created.eventId().toString());
		}
	}

	@Test
	void aLongQuestionSurvivesAnUpdateThatDoesNotTouchIt() throws Exception {
		UUID workspace = this.fixture.newWorkspace();
		String longQuestion = "Why? ".repeat(3000); // TOASTed: an unrelated update does not carry it in the new row
		UUID pair;
		try (Connection c = this.fixture.connect()) {
			pair = (UUID) RelayFixture.single(c,
					"INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (?, ?, 'Because.') RETURNING id", workspace,
					longQuestion);
			RelayFixture.update(c, "UPDATE qa_pairs SET category = 'faq' WHERE id = ?", pair);
		}
		try (TopicReader reader = new TopicReader(this.fixture.qaChanges)) {
			List<EventEnvelope<QaPairChanged>> events = awaitPairEvents(reader, pair, 2);
			assertThat(events.get(1).payload().operation()).isEqualTo("updated");
			assertThat(events.get(1).payload().question()).isEqualTo(longQuestion);
			assertThat(events.get(1).payload().previousQuestion()).isEqualTo(longQuestion);
		}
	}

	static List<EventEnvelope<QaPairChanged>> awaitPairEvents(TopicReader reader, UUID pair, int expected) {
		List<ConsumerRecord<String, String>> seen = reader.pollUntil((records) -> pairEvents(records, pair).size() >= expected,
				Duration.ofSeconds(30));
		// give a stray (wrongly published) event time to show up
		try {
			Thread.sleep(1500);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		seen = reader.poll();
		List<EventEnvelope<QaPairChanged>> events = pairEvents(seen, pair);
		assertThat(events).hasSize(expected);
		return events;
	}

	static List<EventEnvelope<QaPairChanged>> pairEvents(List<ConsumerRecord<String, String>> records, UUID pair) {
		return records.stream()
			.map((r) -> RelayFixture.CODEC.fromJson(r.value(), QaPairChanged.class))
			.filter((e) -> pair.equals(e.payload().qaPairId()))
			.toList();
	}

}
