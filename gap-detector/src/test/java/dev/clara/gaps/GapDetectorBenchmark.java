package dev.clara.gaps;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Throughput and latency of two gap-detector replicas (one consumer group, in this JVM) against
 * the local servers, in a database and topics of its own. Not part of the test suite: run it by
 * hand (gap-detector/README.md, "Benchmark").
 *
 * <p>Throughput: a burst of question events (a share of them answered, the rest gaps: new
 * questions that need an embedding and grouping, and repeats that only count) is consumed from a
 * backlog. Latency: gap questions at a steady rate, from the event's {@code asked_at} to the
 * {@code GapDetected} row written to the outbox (the relay then puts it on the gaps topic; it is
 * not part of this figure).
 */
public final class GapDetectorBenchmark {

	public static void main(String[] args) throws Exception {
		int burst = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
		int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20;
		int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
		try (GapFixture fixture = new GapFixture("gap_benchmark")) {
			String group = "gap-detector-bench-" + UUID.randomUUID();
			List<ConfigurableApplicationContext> replicas = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				List<String> arguments = fixture.detectorArguments(group);
				arguments.add("--logging.level.root=WARN");
				replicas.add(new SpringApplicationBuilder(GapDetectorApplication.class).run(arguments.toArray(String[]::new)));
			}
			try {
				run(fixture, burst, rate, seconds);
			}
			finally {
				replicas.forEach(ConfigurableApplicationContext::close);
			}
		}
	}

	private static void run(GapFixture fixture, int burst, int rate, int seconds) throws Exception {
		Random random = new Random(7);
		List<UUID> workspaces = new ArrayList<>();
		List<UUID> conversations = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			UUID workspace = fixture.workspace();
			workspaces.add(workspace);
			conversations.add(fixture.conversation(workspace));
		}
		// warm-up: model, JIT, connection pools
		for (int i = 0; i < 40; i++) {
			fixture.publish(fixture.questions, fixture.gapQuestion(workspaces.get(i), conversations.get(i),
					"Warm-up question " + i + "?", Instant.now()));
		}
		waitFor(fixture, 40, Duration.ofMinutes(2));

		// 1. throughput from a backlog: 30 % answered, 35 % new gap questions, 35 % repeats
		List<String> asked = new ArrayList<>();
		int gaps = 0;
		long produceStarted = System.nanoTime();
		for (int i = 0; i < burst; i++) {
			int w = random.nextInt(workspaces.size());
			double kind = random.nextDouble();
			if (kind < 0.30) {
				fixture.publishAsync(fixture.answeredQuestion(workspaces.get(w), conversations.get(w), null,
						"An answered question " + i));
				continue;
			}
			String question = (kind < 0.65 || asked.isEmpty()) ? "How do I configure option " + i + " of module "
					+ (char) ('A' + random.nextInt(26)) + "?" : asked.get(random.nextInt(asked.size()));
			asked.add(question);
			fixture.publishAsync(fixture.gapQuestion(workspaces.get(w), conversations.get(w), question, Instant.now()));
			gaps++;
		}
		fixture.flush();
		long started = System.nanoTime();
		long before = processed(fixture);
		waitFor(fixture, before + gaps, Duration.ofMinutes(15));
		double secondsTaken = (System.nanoTime() - produceStarted) / 1e9;
		System.out.printf("burst: %d question events (%d gaps, %d distinct texts) produced in %.1f s, all"
				+ " applied %.1f s after the first was sent: %.0f events/s, %.0f gap writes/s%n", burst, gaps,
				new java.util.HashSet<>(asked).size(), (started - produceStarted) / 1e9, secondsTaken,
				burst / secondsTaken, gaps / secondsTaken);

		// 2. latency at a steady rate of new gap questions
		long latencyFrom = processed(fixture);
		Instant since = Instant.now();
		int sent = 0;
		long next = System.nanoTime();
		for (int i = 0; i < rate * seconds; i++) {
			int w = random.nextInt(workspaces.size());
			fixture.publish(fixture.questions, fixture.gapQuestion(workspaces.get(w), conversations.get(w),
					"Steady question " + i + " about topic " + random.nextInt(1000) + "?", Instant.now()));
			sent++;
			next += 1_000_000_000L / rate;
			long sleep = next - System.nanoTime();
			if (sleep > 0) {
				Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
			}
		}
		waitFor(fixture, latencyFrom + sent, Duration.ofMinutes(5));
		List<Double> latencies = fixture.jdbc.sql("""
				SELECT extract(epoch FROM occurred_at - (payload #>> '{payload,last_asked_at}')::timestamptz) * 1000
				FROM outbox_events
				WHERE event_type = 'GapDetected' AND (payload #>> '{payload,last_asked_at}')::timestamptz >= :since
				  AND payload #>> '{payload,question}' LIKE 'Steady question %'
				ORDER BY 1
				""").param("since", java.sql.Timestamp.from(since)).query(Double.class).list();
		System.out.printf("steady %d/s for %d s: %d gaps, asked -> GapDetected in the outbox p50 %.0f ms, p99 %.0f ms,"
				+ " max %.0f ms%n", rate, seconds, latencies.size(), percentile(latencies, 0.50),
				percentile(latencies, 0.99), latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
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

}
