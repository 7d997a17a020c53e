package dev.clara.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver for the public chat turn: a workspace with 1,000 (or {@code pairs}) Q&A pairs from CLINC150, embedded
 * by a real embedding worker, then visitor questions from CLINC150's validation split sent by
 * concurrent clients over HTTP. Prints turns per second, latency percentiles, the share of turn
 * time spent embedding, searching, answering and writing (from chat-api's own timers), and the
 * peak RSS of the chat-api process; first with search alone, then, on the same workspace, with its
 * answer model trained by the worker's trainer, so the two rows compare on one machine in one run.
 * Last, the HTTP floor: the latency of one client's messages that chat-api refuses while reading
 * them, which every turn pays on top of its own work.
 * Run by {@code ./clara bench chat}; see bench/README.md.
 *
 * Arguments: jdbcUrl chatApiUrl workerUrl chatApiPid clinc150Json [requests] [concurrency] [warmUp]
 * (turns sent and not measured before each measured run; default 1,000) [pairs] (the knowledge
 * base's size, at most the 15,000 questions of CLINC150's training split; default 1,000); the stage
 * timers are read from chat-api's management port, system property
 * {@code clara.bench.chat-api-management} (its base URL; default: chatApiUrl).
 */
public class ChatTurnLoad {

	static final Pattern PAIR = Pattern.compile("\\[\"((?:[^\"\\\\]|\\\\.)*)\",\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\]");

	public static void main(String[] args) throws Exception {
		String jdbcUrl = args[0];
		String chatApi = args[1];
		String worker = args[2];
		long chatApiPid = Long.parseLong(args[3]);
		String json = Files.readString(Path.of(args[4]));
		int requests = args.length > 5 ? Integer.parseInt(args[5]) : 2000;
		int concurrency = args.length > 6 ? Integer.parseInt(args[6]) : 8;
		// the JIT compiles the turn's code for tens of seconds: with 100 turns of warm-up its
		// compiler threads still took a tenth of the cores during the first measured run
		int warmUp = args.length > 7 ? Integer.parseInt(args[7]) : 1000;
		int pairs = args.length > 8 ? Integer.parseInt(args[8]) : 1000;

		List<String[]> train = section(json, "train");
		List<String[]> val = section(json, "val");
		Collections.shuffle(train, new Random(42));
		if (pairs < 1 || pairs > train.size()) {
			throw new IllegalArgumentException("pairs: 1 to " + train.size() + ", not " + pairs);
		}
		List<String[]> knowledge = train.subList(0, pairs);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

		UUID workspace;
		try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
			workspace = createWorkspace(db);
			long started = System.nanoTime();
			insertPairs(db, workspace, knowledge);
			send(http, HttpRequest.newBuilder(URI.create(worker + "/backfill")).POST(HttpRequest.BodyPublishers.noBody()).build());
			long embedded;
			while ((embedded = count(db, "SELECT count(*) FROM qa_pairs WHERE workspace_id = '" + workspace
					+ "' AND embedding IS NOT NULL")) < knowledge.size()) {
				System.out.printf("  embedding the knowledge base: %d/%d%n", embedded, knowledge.size());
				Thread.sleep(2000);
				send(http, HttpRequest.newBuilder(URI.create(worker + "/backfill")).POST(HttpRequest.BodyPublishers.noBody()).build());
			}
			System.out.printf("workspace %s: %d Q&A pairs inserted and embedded in %.1f s%n", workspace,
					knowledge.size(), (System.nanoTime() - started) / 1e9);
		}

		List<String> questions = new ArrayList<>(val.stream().map(row -> row[0]).toList());
		Collections.shuffle(questions, new Random(7));
		// warm-up: JIT, connection pools, the model's first calls
		System.out.printf("warm-up: %d turns, not measured%n", warmUp);
		run(http, chatApi, workspace, questions, warmUp, concurrency);
		measure("without an answer model (search alone)", http, chatApi, workspace, questions, requests, concurrency,
				chatApiPid);

		// the same workspace, now with its answer model: the trainer takes the request within seconds
		try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
			count(db, "SELECT count(public.request_answer_model('" + workspace + "'))");
			long waited = System.nanoTime();
			while (count(db, "SELECT count(*) FROM answer_models WHERE workspace_id = '" + workspace + "'") == 0) {
				if (System.nanoTime() - waited > 300e9) {
					throw new IllegalStateException("no answer model after 5 minutes: is the trainer running?");
				}
				Thread.sleep(500);
			}
			System.out.printf("%nanswer model trained in %d ms (%s); calibrated for this embedding model: %s%n",
					count(db, "SELECT training_ms FROM answer_models WHERE workspace_id = '" + workspace + "'"),
					"answer_models.training_ms",
					count(db, "SELECT count(*) FROM embedding_models m JOIN workspaces w ON m.id = coalesce(w.search_model, m.id)"
							+ " WHERE w.id = '" + workspace + "' AND public.answer_calibrations_of(m.id) IS NOT NULL") > 0
							? "yes" : "NO (the model is not used: the embedding model has no answer_calibrations rows)");
		}
		run(http, chatApi, workspace, questions, warmUp, concurrency);
		measure("with the answer model", http, chatApi, workspace, questions, requests, concurrency, chatApiPid);
		httpFloor(http, chatApi, workspace, Math.min(requests, 1000));
	}

	/**
	 * What a turn costs before any of its work: one client sends messages chat-api refuses while
	 * reading them (400, a message_id that is not a UUID), through the same filters, JSON parsing
	 * and problem+json reply as a turn, with no database statement and no embedding.
	 */
	static void httpFloor(HttpClient http, String chatApi, UUID workspace, int requests) throws Exception {
		String body = "{\"workspace_id\":\"" + workspace + "\",\"session_token\":\"bench-floor\","
				+ "\"message_id\":\"not-a-uuid\",\"content\":\"How do I reset my password?\"}";
		List<Long> latencies = new ArrayList<>();
		for (int i = 0; i < requests * 2; i++) {
			long t = System.nanoTime();
			int status = postMessage(http, chatApi, body);
			if (status != 400) {
				throw new IllegalStateException("expected 400 for a bad message_id, got " + status);
			}
			// the first half warms the refusal's code up
			if (i >= requests) {
				latencies.add(System.nanoTime() - t);
			}
		}
		Collections.sort(latencies);
		System.out.printf("%n== the HTTP floor: %d refused messages (400 before any database work), 1 client%n", requests);
		System.out.printf("latency ms: p50 %.2f  p99 %.2f%n", pct(latencies, 50), pct(latencies, 99));
	}

	/** One measured run of {@code requests} turns, printed. */
	static void measure(String label, HttpClient http, String chatApi, UUID workspace, List<String> questions,
			int requests, int concurrency, long chatApiPid) throws Exception {
		double[] before = stageTotals(http, chatApi);
		double requestBefore = metricTotal(http, chatApi, "http.server.requests?tag=uri:/api/chat");
		double turnBefore = metricTotal(http, chatApi, "clara.chat.turn");
		long started = System.nanoTime();
		List<Long> latencies = run(http, chatApi, workspace, questions, requests, concurrency);
		double seconds = (System.nanoTime() - started) / 1e9;
		double[] after = stageTotals(http, chatApi);
		double requestSeconds = metricTotal(http, chatApi, "http.server.requests?tag=uri:/api/chat") - requestBefore;
		double turnSeconds = metricTotal(http, chatApi, "clara.chat.turn") - turnBefore;

		Collections.sort(latencies);
		long failures = latencies.stream().filter(l -> l < 0).count();
		List<Long> ok = latencies.stream().filter(l -> l >= 0).toList();
		System.out.printf("%n== %s: %d turns, %d concurrent clients, %d failed%n", label, requests, concurrency, failures);
		System.out.printf("throughput: %.1f turns/s%n", ok.size() / seconds);
		System.out.printf("latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n", pct(ok, 50), pct(ok, 95), pct(ok, 99),
				ok.get(ok.size() - 1) / 1e6);
		double total = 0;
		for (int i = 0; i < STAGES.length; i++) {
			total += after[i] - before[i];
		}
		StringBuilder shares = new StringBuilder("time per turn by stage (server side):");
		for (int i = 0; i < STAGES.length; i++) {
			double stageSeconds = after[i] - before[i];
			shares.append(String.format("  %s %.3f ms (%.0f%%)", STAGES[i], stageSeconds * 1000 / ok.size(),
					100 * stageSeconds / total));
		}
		System.out.println(shares);
		// what lies outside the stages: the statements before the turn (rate limit, settings, access,
		// the stored reply) and the request's handling, then the network and this client
		double clientMean = ok.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
		System.out.printf("mean ms per turn: at the client %.3f, chat-api's request (http.server.requests) %.3f,"
				+ " of which the turn from its embedding to its stored reply (clara.chat.turn) %.3f%n", clientMean,
				requestSeconds * 1000 / ok.size(), turnSeconds * 1000 / ok.size());
		System.out.printf("chat-api peak RSS: %s; RSS now: %s%n", status(chatApiPid, "VmHWM"), status(chatApiPid, "VmRSS"));
	}

	static List<Long> run(HttpClient http, String chatApi, UUID workspace, List<String> questions, int n,
			int concurrency) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		AtomicInteger next = new AtomicInteger();
		List<Future<List<Long>>> clients = new ArrayList<>();
		for (int c = 0; c < concurrency; c++) {
			clients.add(pool.submit(() -> {
				List<Long> mine = new ArrayList<>();
				String token = "bench-" + UUID.randomUUID() + UUID.randomUUID();
				int i;
				while ((i = next.getAndIncrement()) < n) {
					String question = questions.get(i % questions.size()).replace("\\", "\\\\").replace("\"", "\\\"");
					String body = "{\"workspace_id\":\"" + workspace + "\",\"session_token\":\"" + token
							+ "\",\"message_id\":\"" + UUID.randomUUID() + "\",\"content\":\"" + question + "\"}";
					long t = System.nanoTime();
					int status = postMessage(http, chatApi, body);
					mine.add(status == 200 ? System.nanoTime() - t : -1L);
				}
				return mine;
			}));
		}
		List<Long> all = new ArrayList<>();
		for (Future<List<Long>> client : clients) {
			all.addAll(client.get());
		}
		pool.shutdown();
		return all;
	}

	/** POSTs one visitor message to the public chat API; its status, the body read whole. */
	static int postMessage(HttpClient http, String chatApi, String body) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(chatApi + "/api/chat"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
	}

	/** The chat turn's stages, as chat-api times them ({@code clara.chat.turn.stage}); "choose" is the answer model. */
	static final String[] STAGES = { "embed", "search", "choose", "answer", "write" };

	static double[] stageTotals(HttpClient http, String chatApi) throws Exception {
		String[] stages = STAGES;
		double[] totals = new double[stages.length];
		for (int i = 0; i < stages.length; i++) {
			totals[i] = metricTotal(http, chatApi, "clara.chat.turn.stage?tag=stage:" + stages[i]);
		}
		return totals;
	}

	/** A timer's total seconds on chat-api's management port, 0 before its first recording. */
	static double metricTotal(HttpClient http, String chatApi, String metricAndTags) throws Exception {
		String management = System.getProperty("clara.bench.chat-api-management", chatApi);
		String body = send(http, HttpRequest.newBuilder(URI.create(management + "/actuator/metrics/" + metricAndTags)).build());
		Matcher m = Pattern.compile("\"TOTAL_TIME\",\"value\":([0-9.Ee+-]+)").matcher(body);
		return m.find() ? Double.parseDouble(m.group(1)) : 0;
	}

	static UUID createWorkspace(Connection db) throws Exception {
		UUID owner = UUID.randomUUID();
		try (PreparedStatement insert = db.prepareStatement("INSERT INTO auth.users (id, email) VALUES (?, ?)")) {
			insert.setObject(1, owner);
			insert.setString(2, "bench-" + owner + "@example.test");
			insert.executeUpdate();
		}
		try (PreparedStatement select = db.prepareStatement("SELECT id FROM workspaces WHERE owner_id = ?")) {
			select.setObject(1, owner);
			try (ResultSet rows = select.executeQuery()) {
				rows.next();
				return rows.getObject(1, UUID.class);
			}
		}
	}

	static void insertPairs(Connection db, UUID workspace, List<String[]> pairs) throws Exception {
		try (PreparedStatement insert = db.prepareStatement(
				"INSERT INTO qa_pairs (workspace_id, question, answer, category) VALUES (?, ?, ?, ?)")) {
			for (String[] pair : pairs) {
				insert.setObject(1, workspace);
				insert.setString(2, pair[0]);
				insert.setString(3, "This is the answer about " + pair[1].replace('_', ' ') + ".");
				insert.setString(4, pair[1]);
				insert.addBatch();
			}
			insert.executeBatch();
		}
	}

	static long count(Connection db, String sql) throws Exception {
		try (ResultSet rows = db.createStatement().executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	static String send(HttpClient http, HttpRequest request) throws Exception {
		return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	static List<String[]> section(String json, String key) {
		int start = json.indexOf("\"" + key + "\"");
		int end = json.indexOf("]]", start) + 2;
		List<String[]> rows = new ArrayList<>();
		Matcher m = PAIR.matcher(json.substring(start, end));
		while (m.find()) {
			rows.add(new String[] { unescape(m.group(1)), m.group(2) });
		}
		return rows;
	}

	static String unescape(String text) {
		return text.replace("\\\"", "\"").replace("\\\\", "\\");
	}

	static double pct(List<Long> sorted, int p) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
	}

	static String status(long pid, String field) throws Exception {
		return Arrays.stream(Files.readString(Path.of("/proc/" + pid + "/status")).split("\n"))
			.filter(line -> line.startsWith(field + ":"))
			.map(line -> line.substring(field.length() + 1).trim())
			.findFirst()
			.orElse("?");
	}

}
