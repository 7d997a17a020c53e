package dev.clara.evaluation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clara.evaluation.ValidationSplit.Question;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Asks questions through the public chat API exactly as the widget does ({@code POST /api/chat}
 * with workspace, session token, message id and content) from a few concurrent visitors, and
 * reads back {@code matched_qa_ids}, {@code confidence} and {@code gap_detected}. A failed call
 * is retried with the same message id (the API is idempotent on it).
 */
final class ChatAsker {

	/** The chat API's reply to one question. */
	record Reply(Question question, List<UUID> matchedQaIds, double confidence, boolean gapDetected) {
	}

	/** Questions one visitor (session token) asks before another takes over. */
	private static final int QUESTIONS_PER_SESSION = 50;

	private final HttpClient http;

	private final String chatApi;

	private final JsonMapper json = JsonMapper.builder().build();

	ChatAsker(HttpClient http, String chatApi) {
		this.http = http;
		this.chatApi = chatApi;
	}

	List<Reply> ask(UUID workspace, List<Question> questions, int concurrency, String label) throws Exception {
		Reply[] replies = new Reply[questions.size()];
		AtomicInteger next = new AtomicInteger();
		AtomicInteger finished = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		long started = System.nanoTime();
		try {
			List<Future<?>> visitors = new ArrayList<>();
			for (int c = 0; c < concurrency; c++) {
				visitors.add(pool.submit(() -> {
					String token = null;
					int asked = 0;
					int i;
					while ((i = next.getAndIncrement()) < questions.size()) {
						if (token == null || asked++ % QUESTIONS_PER_SESSION == 0) {
							token = "eval-" + UUID.randomUUID() + UUID.randomUUID();
						}
						replies[i] = askOne(workspace, token, questions.get(i));
						finished.incrementAndGet();
					}
					return null;
				}));
			}
			long lastPrint = System.nanoTime();
			for (Future<?> visitor : visitors) {
				while (true) {
					try {
						visitor.get(2, java.util.concurrent.TimeUnit.SECONDS);
						break;
					}
					catch (java.util.concurrent.TimeoutException ex) {
						if (System.nanoTime() - lastPrint > 10_000_000_000L) {
							double seconds = (System.nanoTime() - started) / 1e9;
							System.out.printf("  %s: %d/%d questions asked (%.0f/s)%n", label, finished.get(), questions.size(),
									finished.get() / seconds);
							lastPrint = System.nanoTime();
						}
					}
				}
			}
		}
		finally {
			pool.shutdownNow();
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		System.out.printf("  %s: %d questions asked in %.1f s (%.0f/s)%n", label, questions.size(), seconds,
				questions.size() / seconds);
		return List.of(replies);
	}

	private Reply askOne(UUID workspace, String token, Question question) throws Exception {
		ObjectNode body = this.json.createObjectNode();
		body.put("workspace_id", workspace.toString());
		body.put("session_token", token);
		body.put("message_id", UUID.randomUUID().toString());
		body.put("content", question.text());
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.chatApi + "/api/chat"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)))
			.build();
		Exception last = null;
		for (int attempt = 1; attempt <= 5; attempt++) {
			try {
				HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					JsonNode message = this.json.readTree(response.body()).get("message");
					List<UUID> matched = new ArrayList<>();
					message.path("matched_qa_ids").forEach(id -> matched.add(UUID.fromString(id.asString())));
					return new Reply(question, List.copyOf(matched), message.path("confidence").asDouble(0),
							message.path("gap_detected").asBoolean(true));
				}
				last = new IllegalStateException("POST /api/chat answered " + response.statusCode() + ": " + response.body());
				if (response.statusCode() < 500 && response.statusCode() != 429) {
					throw last;
				}
			}
			catch (java.io.IOException ex) {
				last = ex;
			}
			Thread.sleep(500L * attempt);
		}
		throw last;
	}

}
