package dev.clara.gaps;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.clara.gaps.GapFixture.Gap;
import dev.clara.testing.LocalKafka;
import dev.clara.testing.ServiceProcess;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several detectors in one consumer group: two replicas sharing the partitions, a replay of
 * everything from the beginning, and a replica killed with SIGKILL mid-stream.
 */
class GapReplicasIntegrationTests {

	static GapFixture fixture;

	@BeforeAll
	static void setUp() {
		fixture = new GapFixture("gap_replicas");
	}

	@AfterAll
	static void tearDown() {
		fixture.close();
	}

	private static ConfigurableApplicationContext detector(String group) {
		return new SpringApplicationBuilder(GapDetectorApplication.class)
			.run(fixture.detectorArguments(group).toArray(String[]::new));
	}

	@Test
	void twoReplicasTurnTwentyConcurrentAsksIntoOneGapAndReplayingEverythingChangesNothing() throws Exception {
		String group = "gap-detector-" + UUID.randomUUID();
		ConfigurableApplicationContext first = detector(group);
		ConfigurableApplicationContext second = detector(group);
		Snapshot before;
		UUID workspace = fixture.workspace();
		try {
			// the rebalance is over when the two replicas share all partitions of the questions topic
			await().atMost(Duration.ofSeconds(60))
				.until(() -> questionPartitions(first) > 0 && questionPartitions(second) > 0
						&& questionPartitions(first) + questionPartitions(second) == 3);
			// other tenants, four on each partition (records are keyed by workspace), so that both
			// replicas have work whichever partitions they were given
			List<UUID> others = new ArrayList<>();
			int[] perPartition = new int[3];
			while (others.size() < 12) {
				UUID other = fixture.workspace();
				int partition = partitionOf(other);
				if (perPartition[partition] == 4) {
					continue;
				}
				perPartition[partition]++;
				others.add(other);
				UUID conversation = fixture.conversation(other);
				for (String question : List.of("Do you have a referral programme?", "Where is your office?")) {
					fixture.publish(fixture.questions, fixture.gapQuestion(other, conversation, question, Instant.now()));
				}
			}
			ExecutorService sessions = Executors.newFixedThreadPool(20);
			try {
				CountDownLatch go = new CountDownLatch(1);
				List<Future<?>> sent = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					String variant = switch (i % 4) {
						case 0 -> "Can I use my own domain?";
						case 1 -> "can i use my own domain?";
						case 2 -> "  Can I use my OWN domain?";
						default -> "CAN I USE  MY OWN DOMAIN? ";
					};
					UUID conversation = fixture.conversation(workspace);
					sent.add(sessions.submit(() -> {
						go.await();
						fixture.publish(fixture.questions,
								fixture.gapQuestion(workspace, conversation, variant, Instant.now()));
						return null;
					}));
				}
				go.countDown();
				for (Future<?> future : sent) {
					future.get();
				}
			}
			finally {
				sessions.shutdownNow();
			}

			await().atMost(Duration.ofSeconds(90)).until(() -> fixture.gaps(workspace).stream()
				.mapToInt(Gap::askCount).sum() == 20 && others.stream().allMatch(o -> fixture.gaps(o).size() == 2));

			assertThat(fixture.gaps(workspace)).singleElement().satisfies(gap -> {
				assertThat(gap.askCount()).isEqualTo(20);
				assertThat(gap.status()).isEqualTo("open");
			});
			assertThat(fixture.events(workspace)).singleElement()
				.satisfies(event -> assertThat(event.status()).isEqualTo("open"));
			assertThat(opened(first)).as("the first replica did part of the work").isPositive();
			assertThat(opened(second)).as("the second replica did part of the work").isPositive();
			assertThat(opened(first) + opened(second)).isEqualTo(1 + 2 * others.size());
			before = Snapshot.take();
		}
		finally {
			first.close();
			second.close();
		}

		// a replay: a group that starts from the beginning of both topics
		String replay = "gap-detector-replay-" + UUID.randomUUID();
		ConfigurableApplicationContext replayer = detector(replay);
		try {
			await().atMost(Duration.ofSeconds(90)).until(() -> caughtUp(replay));
			assertThat(Snapshot.take()).isEqualTo(before);
			assertThat(opened(replayer)).isZero();
		}
		finally {
			replayer.close();
		}
	}

	@Test
	void aReplicaKilledMidStreamAndRestartedLosesNoAskAndDoublesNothing() throws Exception {
		String group = "gap-detector-crash-" + UUID.randomUUID();
		long base = processed();
		Instant day = Instant.parse("2025-04-01T08:00:00Z");
		List<UUID> workspaces = new ArrayList<>();
		int events = 0;
		for (int w = 0; w < 8; w++) {
			UUID workspace = fixture.workspace();
			workspaces.add(workspace);
			UUID conversation = fixture.conversation(workspace);
			for (int ask = 0; ask < 3; ask++) {
				for (int q = 0; q < 25; q++) {
					String question = "Question number " + q + " about feature " + (char) ('A' + w) + (ask == 1 ? " " : "");
					fixture.publish(fixture.questions, fixture.gapQuestion(workspace, conversation,
							ask == 2 ? question.toUpperCase() : question, day.plusSeconds(ask * 60L + q)));
					events++;
				}
			}
		}
		long total = base + events;

		long atKill;
		// A poll's questions commit in one transaction, right before their offsets: the killed replica
		// commits no offset at all (manual acks that never come, not even at a rebalance), so that the
		// kill surely leaves applied records uncommitted
		List<String> rarelyCommitting = fixture.detectorArguments(group);
		rarelyCommitting.addAll(List.of("--spring.kafka.listener.ack-mode=manual", "--clara.gaps.question-batch-size=20"));
		try (ServiceProcess first = ServiceProcess.start(GapDetectorApplication.class, "detector-crash-1", rarelyCommitting)) {
			await().atMost(Duration.ofMinutes(2)).until(() -> processed() >= base + 40);
			first.kill();
			atKill = processed();
		}
		assertThat(atKill).as("killed mid-stream").isLessThan(total);

		// the metrics are on the management port (README.md, "Metrics")
		int managementPort = freePort();
		List<String> arguments = fixture.detectorArguments(group);
		arguments.add("--management.server.port=" + managementPort);
		try (ServiceProcess second = ServiceProcess.start(GapDetectorApplication.class, "detector-crash-2", arguments)) {
			await().atMost(Duration.ofMinutes(3)).until(() -> processed() == total);
			await().atMost(Duration.ofMinutes(1)).until(() -> caughtUp(group));
			assertThat(metric(managementPort, "clara.gaps.redelivered"))
				.as("records whose offsets the killed replica had not committed came again, and were skipped")
				.isPositive();
		}

		for (UUID workspace : workspaces) {
			List<Gap> gaps = fixture.gaps(workspace);
			assertThat(gaps).hasSize(25).allSatisfy(gap -> assertThat(gap.askCount()).isEqualTo(3));
			assertThat(fixture.events(workspace)).hasSize(25);
		}
	}

	/** The partition Kafka's default partitioner gives a record keyed by this workspace. */
	private static int partitionOf(UUID workspace) {
		byte[] key = workspace.toString().getBytes(StandardCharsets.UTF_8);
		return Utils.toPositive(Utils.murmur2(key)) % 3;
	}

	private static int freePort() throws java.io.IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static double metric(int port, String name) throws Exception {
		java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
					+ "/actuator/metrics/" + name)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body())
			.get("measurements").get(0).get("value").asDouble();
	}

	private static long processed() {
		return fixture.jdbc.sql("SELECT count(*) FROM processed_events").query(Long.class).single();
	}

	private static double opened(ConfigurableApplicationContext detector) {
		return detector.getBean(MeterRegistry.class).counter("clara.gaps.opened").count();
	}

	private static long questionPartitions(ConfigurableApplicationContext detector) {
		return detector.getBean(KafkaListenerEndpointRegistry.class)
			.getListenerContainers()
			.stream()
			.map(MessageListenerContainer::getAssignedPartitions)
			.filter(java.util.Objects::nonNull)
			.flatMap(java.util.Collection::stream)
			.filter(partition -> partition.topic().equals(fixture.questions))
			.count();
	}

	/** Whether the group has committed the end of every partition of both input topics. */
	private static boolean caughtUp(String group) throws Exception {
		try (Admin admin = LocalKafka.admin()) {
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get();
			Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
			for (String topic : List.of(fixture.questions, fixture.pairsEmbedded)) {
				for (int p = 0; p < 3; p++) {
					latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
				}
			}
			Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
			return ends.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
					|| (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() == end.getValue().offset()));
		}
	}

	/** Everything the detector writes, to compare before and after a replay. */
	record Snapshot(List<String> gaps, long outbox, long processed) {

		static Snapshot take() {
			return new Snapshot(fixture.jdbc.sql("""
					SELECT id || ' ' || coalesce(group_id::text, '-') || ' ' || ask_count || ' ' || status || ' '
					       || last_asked_at || ' ' || coalesce(resolved_qa_id::text, '-')
					FROM qa_gaps ORDER BY id
					""").query(String.class).list(),
					fixture.jdbc.sql("SELECT count(*) FROM outbox_events").query(Long.class).single(), GapReplicasIntegrationTests.processed());
		}

	}

}
