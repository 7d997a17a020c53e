package dev.clara.evaluation.documents;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Asks each question through {@code POST /api/chat} as the widget does, each in a new session,
 * from a few concurrent visitors, and reads back {@code gap_detected}, {@code confidence} and the
 * {@code citations} (chunk ids and passages, in order). A failed call is retried with the same
 * message id (the API is idempotent on it).
 */
final class DocumentAsker {

	/** One cited passage: its chunk and the passage text the reply carries. */
	record Cited(UUID chunkId, String passage) {
	}

	/** The reply to one question. */
	record Reply(Squad.Question question, boolean gapDetected, double confidence, List<Cited> citations) {
	}

	private final HttpClient http;

	private final String chatApi;

	private final JsonMapper json = JsonMapper.builder().build();

	DocumentAsker(HttpClient http, String chatApi) {
		this.http = http;
		this.chatApi = chatApi;
	}

	List<Reply> ask(UUID workspace, List<Squad.Question> questions, int concurrency, String label) throws Exception {
		Reply[] replies = new Reply[questions.size()];
		AtomicInteger next = new AtomicInteger();
		AtomicInteger finished = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		long started = System.nanoTime();
		try {
			List<Future<?>> visitors = new ArrayList<>();
			for (int c = 0; c < concurrency; c++) {
				visitors.add(pool.submit(() -> {
					int i;
					while ((i = next.getAndIncrement()) < questions.size()) {
						replies[i] = askOne(workspace, questions.get(i));
						finished.incrementAndGet();
					}
					return null;
				}));
			}
			long lastPrint = System.nanoTime();
			for (Future<?> visitor : visitors) {
				while (true) {
					try {
						visitor.get(2, TimeUnit.SECONDS);
						break;
					}
					catch (TimeoutException ex) {
						if (System.nanoTime() - lastPrint > 15_000_000_000L) {
							System.out.printf("  %s: %d/%d questions asked (%.0f/s)%n", label, finished.get(),
									questions.size(), finished.get() / ((System.nanoTime() - started) / 1e9));
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

	private Reply askOne(UUID workspace, Squad.Question question) throws Exception {
		ObjectNode body = this.json.createObjectNode();
		body.put("workspace_id", workspace.toString());
		// a new visitor per question: no conversation carries over from one question to the next
		body.put("session_token", "eval-" + UUID.randomUUID() + UUID.randomUUID());
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
					List<Cited> citations = new ArrayList<>();
					for (JsonNode citation : message.path("citations")) {
						if (citation.hasNonNull("chunk_id")) {
							citations.add(new Cited(UUID.fromString(citation.get("chunk_id").asString()),
									citation.path("passage").asString("")));
						}
					}
					return new Reply(question, message.path("gap_detected").asBoolean(true),
							message.path("confidence").asDouble(0), List.copyOf(citations));
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
