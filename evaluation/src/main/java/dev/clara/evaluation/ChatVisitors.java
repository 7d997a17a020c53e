package dev.clara.evaluation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * A few concurrent visitors asking questions through the public chat API exactly as the widget
 * does ({@code POST /api/chat} with workspace, session token, message id and content). A failed
 * call is retried with the same message id (the API is idempotent on it); progress is printed
 * while they ask. The evaluations read what they need from each reply's {@code message}.
 */
public final class ChatVisitors {

	/** What one visitor does with one question in its session: ask it and read the reply. */
	@FunctionalInterface
	public interface Asking<Q, R> {

		R ask(String sessionToken, Q question) throws Exception;

	}

	private final HttpClient http;

	private final String chatApi;

	private final JsonMapper json = JsonMapper.builder().build();

	public ChatVisitors(HttpClient http, String chatApi) {
		this.http = http;
		this.chatApi = chatApi;
	}

	/**
	 * Every question asked by {@code concurrency} visitors, each taking a new session every
	 * {@code questionsPerSession} questions; the replies in the questions' order.
	 */
	public <Q, R> List<R> askAll(List<Q> questions, int concurrency, int questionsPerSession, String label,
			Asking<Q, R> asking) throws Exception {
		Object[] replies = new Object[questions.size()];
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
						if (token == null || asked++ % questionsPerSession == 0) {
							token = "eval-" + UUID.randomUUID() + UUID.randomUUID();
						}
						replies[i] = asking.ask(token, questions.get(i));
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
						if (System.nanoTime() - lastPrint > 10_000_000_000L) {
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
		@SuppressWarnings("unchecked")
		List<R> ordered = (List<R>) Arrays.asList(replies);
		return List.copyOf(ordered);
	}

	/** The reply's {@code message} to one question, retried on a network error, a 5xx or a 429. */
	public JsonNode message(UUID workspace, String sessionToken, String content) throws Exception {
		ObjectNode body = this.json.createObjectNode();
		body.put("workspace_id", workspace.toString());
		body.put("session_token", sessionToken);
		body.put("message_id", UUID.randomUUID().toString());
		body.put("content", content);
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
					return this.json.readTree(response.body()).get("message");
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
