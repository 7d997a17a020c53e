package dev.clara.relay;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.clara.relay.core.CdcRelay;
import dev.clara.shared.events.EventHeaders;
import dev.clara.testing.LocalKafka;

/**
 * Not part of the suite (the name matches no surefire include). Run it with
 *
 * <pre>
 * mvn -B -pl cdc-relay -am verify -Dtest=RelayBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * against the local PostgreSQL and Kafka. It measures (1) commit-to-Kafka latency of chat turns
 * committed at a steady rate: from the moment the turn's COMMIT returned to the moment a consumer
 * in this JVM received its QuestionAsked record; (2) sustained relay throughput: a backlog of
 * turns committed while the relay is stopped, drained after it starts (events per second from
 * the first to the last record received). Each turn is what the chat API commits: a conversation
 * upsert, two messages and the outbox row, so the relay also streams three projection changes per
 * event.
 */
class RelayBenchmark {

	static final int WARMUP = 200;

	static final int LATENCY_TURNS = Integer.getInteger("bench.latencyTurns", 2000);

	static final int RATE_PER_SECOND = Integer.getInteger("bench.rate", 100);

	static final int BACKLOG_TURNS = Integer.getInteger("bench.backlogTurns", 20000);

	@Test
	void benchmark() throws Exception {
		try (RelayFixture fixture = RelayFixture.create("benchmark")) {
			List<UUID> workspaces = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				workspaces.add(fixture.newWorkspace());
			}
			CdcRelay relay = fixture.startRelay(fixture.settings().heartbeatInterval(Duration.ofSeconds(10)).build());
			Map<String, Long> received = new ConcurrentHashMap<>();
			AtomicBoolean consuming = new AtomicBoolean(true);
			Thread consumer = new Thread(() -> consume(fixture.questions, received, consuming), "bench-consumer");
			consumer.start();

			// warm-up: the relay, the consumer and the JIT, until every warm-up event was received
			Map<String, Long> committed = new java.util.LinkedHashMap<>();
			List<String> warmup = new ArrayList<>();
			try (Connection c = fixture.connect()) {
				for (int i = 0; i < WARMUP; i++) {
					warmup.add(fixture.commitTurn(c, workspaces.get(i % workspaces.size()), "warm-up " + i).toString());
					Thread.sleep(10);
				}
			}
			waitFor(received, warmup, Duration.ofSeconds(120));
			Thread.sleep(1000);

			// (1) latency at a steady rate
			long intervalNanos = 1_000_000_000L / RATE_PER_SECOND;
			try (Connection c = fixture.connect()) {
				long next = System.nanoTime();
				for (int i = 0; i < LATENCY_TURNS; i++) {
					while (System.nanoTime() < next) {
						Thread.onSpinWait();
					}
					next += intervalNanos;
					String id = fixture.commitTurn(c, workspaces.get(i % workspaces.size()), "latency " + i).toString();
					committed.put(id, System.nanoTime());
				}
			}
			waitFor(received, committed.keySet(), Duration.ofSeconds(120));
			List<Long> latencies = new ArrayList<>();
			List<Long> inOrder = new ArrayList<>();
			for (Map.Entry<String, Long> e : committed.entrySet()) {
				latencies.add(received.get(e.getKey()) - e.getValue());
				inOrder.add(received.get(e.getKey()) - e.getValue());
			}
			Collections.sort(latencies);
			StringBuilder timeline = new StringBuilder("worst latency per second of the run (ms):");
			for (int i = 0; i < inOrder.size(); i += RATE_PER_SECOND) {
				long worst = 0;
				for (int j = i; j < Math.min(inOrder.size(), i + RATE_PER_SECOND); j++) {
					worst = Math.max(worst, inOrder.get(j));
				}
				timeline.append(' ').append(worst / 1_000_000);
			}

			// (2) throughput: drain a backlog
			relay.close();
			List<String> backlog = new ArrayList<>();
			try (Connection c = fixture.connect()) {
				c.setAutoCommit(false);
				for (int i = 0; i < BACKLOG_TURNS; i++) {
					backlog.add(fixture.writeTurn(c, workspaces.get(i % workspaces.size()), "s-" + (i % 500), "backlog " + i)
						.toString());
					if (i % 50 == 49) {
						c.commit();
					}
				}
				c.commit();
			}
			long restart = System.nanoTime();
			fixture.startRelay(fixture.settings().heartbeatInterval(Duration.ofSeconds(10)).build());
			waitFor(received, backlog, Duration.ofSeconds(600));
			long first = Long.MAX_VALUE;
			long last = Long.MIN_VALUE;
			for (String id : backlog) {
				long t = received.get(id);
				first = Math.min(first, t);
				last = Math.max(last, t);
			}
			consuming.set(false);
			consumer.join();

			System.out.println();
			System.out.println("=== cdc-relay benchmark (" + Runtime.getRuntime().availableProcessors() + " cores) ===");
			System.out.printf("commit-to-Kafka latency, %d turns at %d/s: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
					LATENCY_TURNS, RATE_PER_SECOND, ms(percentile(latencies, 50)), ms(percentile(latencies, 90)),
					ms(percentile(latencies, 99)), ms(latencies.get(latencies.size() - 1)));
			System.out.println(timeline);
			System.out.println("load average at the end: " + java.lang.management.ManagementFactory.getOperatingSystemMXBean()
				.getSystemLoadAverage());
			System.out.printf("throughput, backlog of %d turns (%d captured changes): %.0f events/s (%.0f changes/s); "
					+ "drained in %.1f s after the first record, %.1f s after the relay was started%n", BACKLOG_TURNS,
					BACKLOG_TURNS * 4L, BACKLOG_TURNS / seconds(last - first), BACKLOG_TURNS * 4 / seconds(last - first),
					seconds(last - first), seconds(last - restart));
			System.out.println();
		}
	}

	private static void consume(String topic, Map<String, Long> received, AtomicBoolean running) {
		Map<String, Object> config = new HashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.bootstrapServers());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((p) -> new TopicPartition(topic, p.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			while (running.get()) {
				for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(5))) {
					received.putIfAbsent(RelayFixture.header(r, EventHeaders.EVENT_ID), System.nanoTime());
				}
			}
		}
	}

	private static void waitFor(Map<String, Long> received, java.util.Collection<String> ids, Duration timeout)
			throws InterruptedException {
		long until = System.nanoTime() + timeout.toNanos();
		while (!received.keySet().containsAll(ids)) {
			if (System.nanoTime() > until) {
				throw new AssertionError("not all events arrived within " + timeout);
			}
			Thread.sleep(20);
		}
	}

	private static long percentile(List<Long> sorted, int p) {
		int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
	}

	private static double ms(long nanos) {
		return nanos / 1_000_000.0;
	}

	private static double seconds(long nanos) {
		return nanos / 1_000_000_000.0;
	}

}
