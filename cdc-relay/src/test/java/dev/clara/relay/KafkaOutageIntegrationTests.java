package dev.clara.relay;

import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.clara.relay.core.CdcRelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka stopped while chat turns commit, then started: zero missing events. Uses a broker of the
 * test's own (never the shared one).
 */
class KafkaOutageIntegrationTests {

	@Test
	void eventsCommittedWhileKafkaIsDownArriveWhenItIsBack() throws Exception {
		try (RelayFixture fixture = RelayFixture.create("kafka_outage"); OwnKafkaBroker kafka = new OwnKafkaBroker()) {
			kafka.start();
			kafka.createTopics(List.of(fixture.questions, fixture.gaps, fixture.qaChanges, fixture.qaEmbedded,
					fixture.deadLetters), 3);
			UUID workspace = fixture.newWorkspace();
			CdcRelay relay = fixture.startRelay(fixture.settings().kafkaBootstrapServers(kafka.bootstrapServers()).build());

			Set<String> committed = new HashSet<>(commit(fixture, workspace, 100, "before the outage"));
			awaitAll(kafka, fixture.questions, committed);

			kafka.stop();
			committed.addAll(commit(fixture, workspace, 300, "during the outage"));
			// the relay retries, and says so
			await().atMost(Duration.ofSeconds(60)).until(() -> relay.monitor().lastError() != null);
			System.out.println("while Kafka is down the relay reports: " + relay.monitor().lastError());

			kafka.start();
			committed.addAll(commit(fixture, workspace, 100, "after the outage"));
			List<ConsumerRecord<String, String>> seen = awaitAll(kafka, fixture.questions, committed);
			Set<String> missing = new HashSet<>(committed);
			missing.removeAll(OutboxRelayIntegrationTests.eventIds(seen));
			System.out.printf("Kafka outage: %d committed, %d records on the topic, %d missing%n", committed.size(),
					seen.size(), missing.size());
			assertThat(missing).isEmpty();
			// per workspace, first occurrences still in commit order
			List<String> order = seen.stream()
				.map((r) -> RelayFixture.CODEC.fromJson(r.value(), dev.clara.shared.events.QuestionAsked.class))
				.map((e) -> e.eventId().toString())
				.distinct()
				.toList();
			assertThat(order).hasSize(500);
		}
	}

	private static List<String> commit(RelayFixture fixture, UUID workspace, int n, String label) throws Exception {
		List<String> ids = new java.util.ArrayList<>();
		try (Connection c = fixture.connect()) {
			for (int i = 0; i < n; i++) {
				ids.add(fixture.commitTurn(c, workspace, label + " " + i).toString());
			}
		}
		return ids;
	}

	private static List<ConsumerRecord<String, String>> awaitAll(OwnKafkaBroker kafka, String topic, Set<String> ids) {
		try (TopicReader reader = new TopicReader(topic, kafka.bootstrapServers())) {
			List<ConsumerRecord<String, String>> seen = reader.pollUntil(
					(records) -> OutboxRelayIntegrationTests.eventIds(records).containsAll(ids), Duration.ofSeconds(120));
			assertThat(OutboxRelayIntegrationTests.eventIds(seen)).containsAll(ids);
			return seen;
		}
	}

}
