package dev.clara.gaps;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.clara.shared.embedding.LocalEmbeddingProvider;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.QuestionAsked;
import dev.clara.testing.LocalKafka;
import dev.clara.testing.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Throughput and latency of two gap-detector replicas (one consumer group, each in a JVM of its
 * own) against the local servers, in a database and topics of its own, with the CDC relay (from
 * {@code cdc-relay/target/cdc-relay.jar}) putting their events on a gaps topic. Not part of the
 * test suite: {@code ./clara bench gaps} (gap-detector/README.md, "Benchmark").
 *
 * <p>Throughput: a backlog of question events (10,000 by default, after a warm-up backlog of the
 * same size: the replicas are long-lived processes, and a short backlog measures mostly the JIT
 * compiling the batch path): 30 % answered, the rest gaps: new questions that
 * need grouping, and repeats that only count, consumed by both replicas. Gap questions carry the
 * vector the chat turn searched with (the default model's, made here before the clock starts, as
 * chat-api made it during the turn); with {@code none} as the fourth argument they carry none, as
 * events written before they carried vectors, and the detector embeds them.
 * Latency: new gap questions at a steady rate, from the question's {@code asked_at} to its
 * {@code GapDetected} read from the gaps topic. Peak RSS of each process from the kernel (VmHWM).
 */
public final class GapDetectorBenchmark {

	private static final EventCodec CODEC = new EventCodec();

	public static void main(String[] args) throws Exception {
		int burst = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
		int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20;
		int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
		boolean carried = args.length <= 3 || !"none".equals(args[3]);
		File relayJar = Path.of("..", "cdc-relay", "target", "cdc-relay.jar").toFile();
		if (!relayJar.isFile()) {
			throw new IllegalStateException(relayJar + " is missing: mvn -DskipTests package first");
		}
		// Ctrl-C must not leave the replicas and the relay running
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
		try (GapFixture fixture = new GapFixture("gap_benchmark")) {
			String group = "gap-detector-bench-" + UUID.randomUUID();
			String gapsTopic = LocalKafka.uniqueTopicName("gap_benchmark.gaps");
			String slot = "bench_" + UUID.randomUUID().toString().substring(0, 8);
			List<ServiceProcess> replicas = new ArrayList<>();
			ServiceProcess relay = null;
			try {
				relay = ServiceProcess.startJar(relayJar.toPath(), "bench-relay", List.of("--server.port=0",
						"--spring.datasource.url=" + fixture.database.jdbcUrl(),
						"--spring.kafka.bootstrap-servers=" + LocalKafka.bootstrapServers(),
						"--clara.topics.partitions=3", "--clara.topics.questions=" + fixture.questions,
						"--clara.topics.qa-pair-embedded=" + fixture.pairsEmbedded, "--clara.topics.gaps=" + gapsTopic,
						"--clara.topics.outbox-dead-letter=" + gapsTopic + "-outbox-dlt", "--clara.relay.slot-name=" + slot,
						"--clara.relay.publication-name=" + slot, "--management.server.port=0"));
				for (int i = 1; i <= 2; i++) {
					List<String> arguments = fixture.detectorArguments(group);
					arguments.add("--logging.level.root=WARN");
					// metrics on a free port: the two replicas (and any detector already on this machine) share it
					arguments.add("--management.server.port=0");
					// CLARA_BENCH_JFR=file.jfr: the first replica records a CPU profile (JFR), written when it stops
					String jfr = System.getenv("CLARA_BENCH_JFR");
					List<String> jvm = (i == 1 && jfr != null && !jfr.isBlank())
							? List.of("-XX:FlightRecorderOptions=stackdepth=256",
									"-XX:StartFlightRecording=filename=" + jfr + ",settings=profile") : List.of();
					replicas.add(ServiceProcess.start(GapDetectorApplication.class, "detector-bench-" + i, jvm, arguments));
				}
				run(fixture, gapsTopic, burst, rate, seconds, carried);
				System.out.printf("peak RSS: replica 1 %d MB, replica 2 %d MB, relay %d MB%n", replicas.get(0).peakRssMb(),
						replicas.get(1).peakRssMb(), relay.peakRssMb());
			}
			finally {
				for (ServiceProcess replica : replicas) {
					replica.close();
				}
				if (relay != null) {
					relay.close();
				}
				// the slot pins the database: drop it before the fixture drops the database
				fixture.jdbc.sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = :slot")
					.param("slot", slot)
					.query()
					.listOfRows();
				try (var admin = LocalKafka.admin()) {
					admin.deleteTopics(List.of(gapsTopic, gapsTopic + "-outbox-dlt"));
				}
			}
		}
	}

	private static void run(GapFixture fixture, String gapsTopic, int burst, int rate, int seconds, boolean carried)
			throws Exception {
		Random random = new Random(7);
		ChatTurnVectors vectors = new ChatTurnVectors(carried);
		List<UUID> workspaces = new ArrayList<>();
		List<UUID> conversations = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			UUID workspace = fixture.workspace();
			workspaces.add(workspace);
			conversations.add(fixture.conversation(workspace));
		}
		// warm-up: replicas and relay up, model loaded, connection pools, then a backlog like the
		// measured one (other texts), so the JIT has compiled the batch path before the clock starts
		for (int i = 0; i < 40; i++) {
			fixture.publish(fixture.questions, fixture.gapQuestion(workspaces.get(i), conversations.get(i),
					"Warm-up question " + i + "?", Instant.now()));
		}
		waitFor(fixture, 40, Duration.ofMinutes(5));
		Backlog warmUp = backlog(fixture, vectors, random, workspaces, conversations, burst, "Warm-up: how do I set option ");
		long warmed = processed(fixture) + warmUp.gaps();
		warmUp.events().forEach(fixture::publishAsync);
		fixture.flush();
		waitFor(fixture, warmed, Duration.ofMinutes(15));

		// 1. throughput from a backlog: 30 % answered, 35 % new gap questions, 35 % repeats
		Backlog measured = backlog(fixture, vectors, random, workspaces, conversations, burst, "How do I configure option ");
		List<EventEnvelope<QuestionAsked>> backlog = measured.events();
		List<String> asked = measured.asked();
		int gaps = measured.gaps();
		long before = processed(fixture);
		long produceStarted = System.nanoTime();
		backlog.forEach(fixture::publishAsync);
		fixture.flush();
		long produced = System.nanoTime();
		waitFor(fixture, before + gaps, Duration.ofMinutes(15));
		double secondsTaken = (System.nanoTime() - produceStarted) / 1e9;
		System.out.printf("burst: %d question events (%d gaps, %d distinct texts, vectors %s) produced in %.1f s, all"
				+ " applied %.1f s after the first was sent: %.0f events/s, %.0f gap writes/s%n", burst, gaps,
				new HashSet<>(asked).size(), carried ? "carried" : "none", (produced - produceStarted) / 1e9, secondsTaken,
				burst / secondsTaken, gaps / secondsTaken);

		// 2. latency at a steady rate of new gap questions, asked -> GapDetected read from the gaps topic
		ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
		AtomicBoolean reading = new AtomicBoolean(true);
		Thread reader = new Thread(() -> readGaps(gapsTopic, reading, latencies), "gaps-topic-reader");
		reader.start();
		Thread.sleep(3000); // the reader's partitions assigned (latest offsets)
		int sent = 0;
		long next = System.nanoTime();
		for (int i = 0; i < rate * seconds; i++) {
			int w = random.nextInt(workspaces.size());
			fixture.publish(fixture.questions, vectors.gapQuestion(fixture, workspaces.get(w), conversations.get(w),
					"Steady question " + i + " about topic " + random.nextInt(1000) + "?"));
			sent++;
			next += 1_000_000_000L / rate;
			long sleep = next - System.nanoTime();
			if (sleep > 0) {
				Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
			}
		}
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (latencies.size() < sent && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		reading.set(false);
		reader.join();
		List<Double> sorted = latencies.stream().sorted().toList();
		System.out.printf("steady %d/s for %d s: %d of %d gaps on the topic, asked -> GapDetected on the gaps topic"
				+ " p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", rate, seconds, sorted.size(), sent, percentile(sorted, 0.50),
				percentile(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
	}

	/** Question events of a backlog, the gap questions' texts, and how many are gaps. */
	private record Backlog(List<EventEnvelope<QuestionAsked>> events, List<String> asked, int gaps) {
	}

	/** 30 % answered, 35 % new gap questions, 35 % repeats of earlier ones, in random workspaces. */
	private static Backlog backlog(GapFixture fixture, ChatTurnVectors vectors, Random random, List<UUID> workspaces,
			List<UUID> conversations, int size, String newText) {
		List<String> asked = new ArrayList<>();
		List<EventEnvelope<QuestionAsked>> events = new ArrayList<>();
		int gaps = 0;
		for (int i = 0; i < size; i++) {
			int w = random.nextInt(workspaces.size());
			double kind = random.nextDouble();
			if (kind < 0.30) {
				events.add(fixture.answeredQuestion(workspaces.get(w), conversations.get(w), null,
						"An answered question " + i));
				continue;
			}
			String question = (kind < 0.65 || asked.isEmpty())
					? newText + i + " of module " + (char) ('A' + random.nextInt(26)) + "?"
					: asked.get(random.nextInt(asked.size()));
			asked.add(question);
			events.add(vectors.gapQuestion(fixture, workspaces.get(w), conversations.get(w), question));
			gaps++;
		}
		return new Backlog(events, asked, gaps);
	}

	/** Collects, for each steady question's GapDetected, the time from asked to read here. */
	private static void readGaps(String topic, AtomicBoolean reading, ConcurrentLinkedQueue<Double> latencies) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafka.bootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, "gap-benchmark-reader-" + UUID.randomUUID(),
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			while (reading.get()) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
					long now = System.currentTimeMillis();
					EventEnvelope<GapDetected> event = CODEC.fromJson(record.value(), GapDetected.class);
					if (event.payload().question().startsWith("Steady question ")) {
						latencies.add((double) (now - event.payload().lastAskedAt().toEpochMilli()));
					}
				}
			}
		}
	}

	private static double percentile(List<Double> sorted, double p) {
		if (sorted.isEmpty()) {
			return 0;
		}
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
	}

	private static long processed(GapFixture fixture) {
		return fixture.jdbc.sql("SELECT count(*) FROM processed_events").query(Long.class).single();
	}

	private static void waitFor(GapFixture fixture, long processed, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (processed(fixture) < processed) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("only " + processed(fixture) + " of " + processed + " processed");
			}
			Thread.sleep(50);
		}
	}

	/**
	 * Gap questions as chat-api writes them: with the default model's vector of the question (made
	 * here, as the chat turn made it before answering), or, for {@code none}, without one.
	 */
	private static final class ChatTurnVectors {

		private final LocalEmbeddingProvider model;

		private final Map<String, float[]> made = new java.util.HashMap<>();

		ChatTurnVectors(boolean carried) {
			this.model = carried ? new LocalEmbeddingProvider(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q) : null;
		}

		EventEnvelope<QuestionAsked> gapQuestion(GapFixture fixture, UUID workspace, UUID conversation, String question) {
			if (this.model == null) {
				return fixture.gapQuestion(workspace, conversation, question, Instant.now());
			}
			float[] vector = this.made.computeIfAbsent(question, text -> this.model.embedAll(List.of(text)).get(0));
			return fixture.gapQuestion(workspace, conversation, question, Instant.now(), this.model.modelId(), vector);
		}

	}

}
