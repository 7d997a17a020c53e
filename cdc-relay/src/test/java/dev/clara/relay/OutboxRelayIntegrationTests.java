package dev.clara.relay;

import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.clara.relay.core.CdcRelay;
import dev.clara.relay.core.OutboxRouter;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.EventHeaders;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.shared.events.QuestionAsked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox relay against the real PostgreSQL and Kafka: routing by event type, key, headers
 * and value, commit order per workspace, a terminated walsender, and the pruning.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxRelayIntegrationTests {

	private RelayFixture fixture;

	private CdcRelay relay;

	@BeforeAll
	void setUp() {
		this.fixture = RelayFixture.create("outbox");
		this.relay = this.fixture.startRelay();
	}

	@AfterAll
	void tearDown() {
		this.fixture.close();
	}

	@Test
	void aCommittedQuestionReachesTheQuestionsTopicKeyedByWorkspaceWithItsHeaders() throws Exception {
		UUID workspace = this.fixture.newWorkspace();
		UUID eventId;
		String stored;
		try (Connection c = this.fixture.connect()) {
			eventId = this.fixture.commitTurn(c, workspace, "Do you ship to Norway?");
			stored = (String) RelayFixture.single(c, "SELECT payload::text FROM outbox_events WHERE id = ?", eventId);
		}
		try (TopicReader reader = new TopicReader(this.fixture.questions)) {
			ConsumerRecord<String, String> record = awaitEvent(reader, eventId);
			assertThat(record.key()).isEqualTo(workspace.toString());
			assertThat(RelayFixture.header(record, EventHeaders.EVENT_ID)).isEqualTo(eventId.toString());
			assertThat(RelayFixture.header(record, EventHeaders.EVENT_TYPE)).isEqualTo(QuestionAsked.TYPE);
			assertThat(RelayFixture.header(record, EventHeaders.EVENT_VERSION)).isEqualTo("1");
			assertThat(record.value()).isEqualTo(stored);
			EventEnvelope<QuestionAsked> envelope = RelayFixture.CODEC.fromJson(record.value(), QuestionAsked.class);
			assertThat(envelope.eventId()).isEqualTo(eventId);
			assertThat(envelope.workspaceId()).isEqualTo(workspace);
			assertThat(envelope.payload().question()).isEqualTo("Do you ship to Norway?");
		}
	}

	@Test
	void eachEventTypeGoesToItsTopicAndAnUnknownTypeToTheDeadLetterTopic() throws Exception {
		UUID workspace = this.fixture.newWorkspace();
		EventEnvelope<GapDetected> gap = EventCodec.envelope(workspace, Instant.now(),
				new GapDetected(UUID.randomUUID(), null, "Opening hours?", 1, null, 0.1, UUID.randomUUID(), "open", null,
						false, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
		UUID unknownId = UUID.randomUUID();
		UUID embeddedId;
		try (Connection c = this.fixture.connect()) {
			RelayFixture.insertOutbox(c, gap.eventId(), workspace, "gap", gap.payload().gapId().toString(),
					GapDetected.TYPE, 1, RelayFixture.CODEC.toJson(gap));
			embeddedId = this.fixture.writeEmbedded(c, workspace, "Do you ship to Norway?");
			RelayFixture.insertOutbox(c, unknownId, workspace, "thing", "1", "SomethingNobodyRoutes", 1,
					"{\"event_id\": \"" + unknownId + "\"}");
		}
		try (TopicReader gaps = new TopicReader(this.fixture.gaps);
				TopicReader embedded = new TopicReader(this.fixture.qaEmbedded);
				TopicReader deadLetters = new TopicReader(this.fixture.deadLetters)) {
			ConsumerRecord<String, String> gapRecord = awaitEvent(gaps, gap.eventId());
			assertThat(RelayFixture.CODEC.fromJson(gapRecord.value(), GapDetected.class).payload().question())
				.isEqualTo("Opening hours?");
			ConsumerRecord<String, String> embeddedRecord = awaitEvent(embedded, embeddedId);
			assertThat(embeddedRecord.key()).isEqualTo(workspace.toString());
			assertThat(RelayFixture.header(embeddedRecord, EventHeaders.EVENT_TYPE)).isEqualTo(QaPairEmbedded.TYPE);
			ConsumerRecord<String, String> dead = awaitEvent(deadLetters, unknownId);
			assertThat(dead.key()).isEqualTo(workspace.toString());
			assertThat(RelayFixture.header(dead, EventHeaders.EVENT_TYPE)).isEqualTo("SomethingNobodyRoutes");
			assertThat(RelayFixture.header(dead, OutboxRouter.DEAD_LETTER_REASON)).contains("No route");
		}
	}

	@Test
	void eventsOfOneWorkspaceArriveInCommitOrder() throws Exception {
		int workspaces = 4;
		int perWorkspace = 150;
		List<UUID> ids = new ArrayList<>();
		for (int i = 0; i < workspaces; i++) {
			ids.add(this.fixture.newWorkspace());
		}
		// one writer per workspace, all at once: commit order within a workspace = sequence number
		Map<String, String> sequenceOf = new ConcurrentHashMap<>();
		ExecutorService writers = Executors.newFixedThreadPool(workspaces);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (UUID workspace : ids) {
				done.add(writers.submit(() -> {
					try (Connection c = this.fixture.connect()) {
						for (int n = 0; n < perWorkspace; n++) {
							UUID eventId = this.fixture.commitTurn(c, workspace, "question " + n);
							sequenceOf.put(eventId.toString(), workspace + "/" + n);
						}
					}
					return null;
				}));
			}
			for (Future<?> f : done) {
				f.get();
			}
		}
		finally {
			writers.shutdown();
		}
		Set<String> expected = sequenceOf.keySet();
		try (TopicReader reader = new TopicReader(this.fixture.questions)) {
			List<ConsumerRecord<String, String>> seen = reader.pollUntil(
					(records) -> eventIds(records).containsAll(expected), Duration.ofSeconds(60));
			assertThat(eventIds(seen)).containsAll(expected);
			// first occurrences, per workspace, in the order the partition delivered them
			Map<String, List<Integer>> order = new LinkedHashMap<>();
			Set<String> first = new HashSet<>();
			for (ConsumerRecord<String, String> r : seen) {
				String id = RelayFixture.header(r, EventHeaders.EVENT_ID);
				if (sequenceOf.containsKey(id) && first.add(id)) {
					String[] parts = sequenceOf.get(id).split("/");
					assertThat(r.key()).isEqualTo(parts[0]);
					order.computeIfAbsent(parts[0], (k) -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
				}
			}
			assertThat(order).hasSize(workspaces);
			for (List<Integer> sequence : order.values()) {
				assertThat(sequence).hasSize(perWorkspace).isSorted();
			}
		}
	}

	@Test
	void aTerminatedWalsenderLosesNothing() throws Exception {
		UUID workspace = this.fixture.newWorkspace();
		int turns = 600;
		Set<String> committed = ConcurrentHashMap.newKeySet();
		AtomicInteger progress = new AtomicInteger();
		ExecutorService writer = Executors.newSingleThreadExecutor();
		Future<?> writing = writer.submit(() -> {
			try (Connection c = this.fixture.connect()) {
				for (int n = 0; n < turns; n++) {
					committed.add(this.fixture.commitTurn(c, workspace, "walsender " + n).toString());
					progress.incrementAndGet();
					if (n % 50 == 0) {
						Thread.sleep(20);
					}
				}
			}
			return null;
		});
		int terminated = 0;
		try (Connection c = this.fixture.connect()) {
			for (int target : new int[] { 100, 300 }) {
				await().atMost(Duration.ofSeconds(60)).until(() -> progress.get() >= target);
				// the walsender may be between connections when looked at: try until one is terminated
				int[] killed = { 0 };
				await().atMost(Duration.ofSeconds(60)).until(() -> (killed[0] = (int) RelayFixture.count(c, """
						SELECT count(pg_terminate_backend(active_pid)) FROM pg_replication_slots
						 WHERE slot_name = ? AND active_pid IS NOT NULL""", this.fixture.slot)) > 0);
				terminated += killed[0];
			}
		}
		writing.get();
		writer.shutdown();
		assertThat(terminated).isEqualTo(2);
		try (TopicReader reader = new TopicReader(this.fixture.questions)) {
			List<ConsumerRecord<String, String>> seen = reader.pollUntil(
					(records) -> eventIds(records).containsAll(committed), Duration.ofSeconds(120));
			Set<String> missing = new HashSet<>(committed);
			missing.removeAll(eventIds(seen));
			assertThat(missing).as("committed events missing on the topic").isEmpty();
		}
	}

	@Test
	void pruningRemovesRelayedRowsPastTheRetentionAndNothingElse() throws Exception {
		UUID workspace = this.fixture.newWorkspace();
		UUID old;
		UUID recent;
		try (Connection c = this.fixture.connect()) {
			old = this.fixture.commitTurn(c, workspace, "an old question");
			recent = this.fixture.commitTurn(c, workspace, "a recent question");
			RelayFixture.update(c, "UPDATE outbox_events SET created_at = now() - interval '8 days' WHERE id = ?", old);
		}
		try (TopicReader reader = new TopicReader(this.fixture.questions)) {
			awaitEvent(reader, old);
			awaitEvent(reader, recent);
		}
		try (Connection c = this.fixture.connect()) {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> RelayFixture.single(c, "SELECT last_outbox_event_id FROM cdc.relay_state WHERE slot_name = ?",
						this.fixture.slot) != null);
			// a relay that fell behind: its last relayed outbox row is older than the old row
			Timestamp watermark = (Timestamp) RelayFixture.single(c,
					"SELECT last_outbox_commit_at FROM cdc.relay_state WHERE slot_name = ?", this.fixture.slot);
			RelayFixture.update(c,
					"UPDATE cdc.relay_state SET last_outbox_commit_at = now() - interval '30 days' WHERE slot_name = ?",
					this.fixture.slot);
			this.relay.pruneOutbox();
			assertThat(RelayFixture.count(c, "SELECT count(*) FROM outbox_events WHERE id = ?", old)).isOne();
			// caught up: the old row goes, the recent one stays
			RelayFixture.update(c, "UPDATE cdc.relay_state SET last_outbox_commit_at = ? WHERE slot_name = ?", watermark,
					this.fixture.slot);
			assertThat(this.relay.pruneOutbox()).isGreaterThanOrEqualTo(1);
			assertThat(RelayFixture.count(c, "SELECT count(*) FROM outbox_events WHERE id = ?", old)).isZero();
			assertThat(RelayFixture.count(c, "SELECT count(*) FROM outbox_events WHERE id = ?", recent)).isOne();
		}
	}

	static Set<String> eventIds(List<ConsumerRecord<String, String>> records) {
		Set<String> ids = new HashSet<>();
		for (ConsumerRecord<String, String> r : records) {
			ids.add(RelayFixture.header(r, EventHeaders.EVENT_ID));
		}
		return ids;
	}

	static ConsumerRecord<String, String> awaitEvent(TopicReader reader, UUID eventId) {
		String id = eventId.toString();
		List<ConsumerRecord<String, String>> seen = reader.pollUntil(
				(records) -> records.stream().anyMatch((r) -> id.equals(RelayFixture.header(r, EventHeaders.EVENT_ID))),
				Duration.ofSeconds(30));
		return seen.stream()
			.filter((r) -> id.equals(RelayFixture.header(r, EventHeaders.EVENT_ID)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("event " + id + " did not arrive within 30 s"));
	}

	static Map<String, Integer> countById(List<ConsumerRecord<String, String>> records) {
		Map<String, Integer> counts = new HashMap<>();
		for (ConsumerRecord<String, String> r : records) {
			counts.merge(RelayFixture.header(r, EventHeaders.EVENT_ID), 1, Integer::sum);
		}
		return counts;
	}

}
