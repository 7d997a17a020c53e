package dev.clara.shared.embedding;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * The OpenAI provider against a tiny local server that speaks {@code /v1/embeddings}: each test
 * scripts the server's answers and counts what reached it.
 */
class OpenAiEmbeddingProviderTests {

	private static final String KEY = "sk-test-0123456789abcdefSECRET";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ConcurrentLinkedQueue<Scripted> script = new ConcurrentLinkedQueue<>();

	private final List<JsonNode> requests = Collections.synchronizedList(new ArrayList<>());

	private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());

	private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());

	private final AtomicInteger count = new AtomicInteger();

	private ExecutorService executor;

	private HttpServer server;

	private String baseUrl;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/v1/embeddings", this::handle);
		// several threads, so a slow scripted answer does not hold up the client's next attempt
		this.executor = Executors.newFixedThreadPool(4);
		this.server.setExecutor(this.executor);
		this.server.start();
		this.baseUrl = "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1";
	}

	@AfterEach
	void stopServer() throws InterruptedException {
		this.server.stop(0);
		this.executor.shutdownNow();
		this.executor.awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void embedsABatchInOneFloatRequestAndNormalises() {
		this.script.add(Scripted.ok());
		try (OpenAiEmbeddingProvider provider = provider(RetryPolicy.of(3), 256)) {
			List<float[]> vectors = provider.embedAll(List.of("a", "b", "c"));

			assertThat(this.count).hasValue(1);
			JsonNode request = this.requests.get(0);
			assertThat(request.get("encoding_format").asString()).isEqualTo("float");
			assertThat(request.get("model").asString()).isEqualTo("text-embedding-3-small");
			assertThat(request.get("dimensions").asInt()).isEqualTo(4);
			assertThat(request.get("input")).hasSize(3);
			assertThat(this.authorizations.get(0)).isEqualTo("Bearer " + KEY);
			// the server answers in reverse order; the provider restores input order by index
			assertThat(vectors).hasSize(3);
			assertThat(vectors.get(0)).containsExactly(new float[] { 0.6f, 0.8f, 0, 0 }, within(1e-6f));
			assertThat(vectors.get(1)).containsExactly(new float[] { 0, 0.6f, 0.8f, 0 }, within(1e-6f));
			assertThat(vectors.get(2)).containsExactly(new float[] { 0, 0, 0.6f, 0.8f }, within(1e-6f));
		}
	}

	@Test
	void theTokensAreWhatTheServerBilledSummedOverTheBatches() {
		for (int i = 0; i < 3; i++) {
			this.script.add(Scripted.ok());
		}
		try (OpenAiEmbeddingProvider provider = provider(RetryPolicy.of(3), 2)) {
			EmbeddingProvider.Embedded embedded = provider.embedAllCounted(List.of("t0", "t1", "t2", "t3", "t4"));

			assertThat(embedded.vectors()).hasSize(5);
			assertThat(embedded.tokens()).isEqualTo(7 * 5);
		}
	}

	@Test
	void splitsAboveTheMaxBatchSizeAndKeepsOrder() {
		for (int i = 0; i < 3; i++) {
			this.script.add(Scripted.ok());
		}
		try (OpenAiEmbeddingProvider provider = provider(RetryPolicy.of(3), 2)) {
			List<float[]> vectors = provider.embedAll(List.of("t0", "t1", "t2", "t3", "t4"));

			assertThat(this.count).hasValue(3);
			assertThat(this.requests).extracting((request) -> request.get("input").size()).containsExactly(2, 2, 1);
			assertThat(vectors).hasSize(5);
			// each batch's vectors restart at the first pattern, so batch boundaries are visible
			assertThat(vectors.get(2)).containsExactly(vectors.get(0));
			assertThat(vectors.get(3)).containsExactly(vectors.get(1));
		}
	}

	@Test
	void rateLimitIsRetriedAfterTheServersRetryAfter() {
		this.script.add(Scripted.error(429, Map.of("Retry-After", "1"), "Rate limit reached for requests"));
		this.script.add(Scripted.ok());
		try (OpenAiEmbeddingProvider provider = provider(RetryPolicy.of(3), 256)) {
			long start = System.nanoTime();
			List<float[]> vectors = provider.embedAll(List.of("how much?"));
			Duration took = Duration.ofNanos(System.nanoTime() - start);

			assertThat(this.count).hasValue(2);
			assertThat(took).isBetween(Duration.ofMillis(950), Duration.ofSeconds(5));
			assertThat(vectors.get(0)).containsExactly(new float[] { 0.6f, 0.8f, 0, 0 }, within(1e-6f));
		}
	}

	@Test
	void otherClientErrorsFailAtOnceWithoutRetry() {
		this.script.add(Scripted.error(400, Map.of(), "'input' is too long"));
		try (OpenAiEmbeddingProvider provider = provider(RetryPolicy.of(5), 256)) {
			assertThatExceptionOfType(EmbeddingException.class).isThrownBy(() -> provider.embedAll(List.of("x")))
				.satisfies((ex) -> {
					assertThat(ex.retryable()).isFalse();
					assertThat(ex.statusCode()).hasValue(400);
					assertThat(ex.getMessage()).contains("HTTP 400").contains("too long");
				});
			assertThat(this.count).hasValue(1);
		}
	}

	@Test
	void aRejectedKeyIsNotRetriedAndNeverAppearsInTheMessage() {
		this.script.add(Scripted.error(401, Map.of(), "Incorrect API key provided: " + KEY + ". Also sk-test-0123****CRET"));
		try (OpenAiEmbeddingProvider provider = provider(RetryPolicy.of(5), 256)) {
			assertThatExceptionOfType(EmbeddingException.class).isThrownBy(() -> provider.embedAll(List.of("x")))
				.satisfies((ex) -> {
					assertThat(ex.retryable()).isFalse();
					assertThat(ex.statusCode()).hasValue(401);
					assertThat(ex.getMessage()).doesNotContain(KEY).doesNotContain("0123").doesNotContain("SECRET");
					assertThat(ex).hasNoCause();
				});
			assertThat(this.count).hasValue(1);
		}
	}

	@Test
	void serverErrorsAreRetriedUpToTheAttemptLimit() {
		for (int i = 0; i < 5; i++) {
			this.script.add(Scripted.error(500, Map.of(), "The server had an error"));
		}
		RetryPolicy fast = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5));
		try (OpenAiEmbeddingProvider provider = provider(fast, 256)) {
			assertThatExceptionOfType(EmbeddingException.class).isThrownBy(() -> provider.embedAll(List.of("x")))
				.satisfies((ex) -> {
					assertThat(ex.retryable()).isTrue();
					assertThat(ex.statusCode()).hasValue(500);
					assertThat(ex.getMessage()).contains("3 attempts");
				});
			assertThat(this.count).hasValue(3);
		}
	}

	@Test
	void serverErrorThenSuccessRecovers() {
		this.script.add(Scripted.error(503, Map.of(), "Service unavailable"));
		this.script.add(Scripted.error(502, Map.of(), "Bad gateway"));
		this.script.add(Scripted.ok());
		RetryPolicy fast = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5));
		try (OpenAiEmbeddingProvider provider = provider(fast, 256)) {
			assertThat(provider.embedAll(List.of("x"))).hasSize(1);
			assertThat(this.count).hasValue(3);
		}
	}

	@Test
	void timeoutsAreRetried() {
		this.script.add(Scripted.ok().after(Duration.ofMillis(1500)));
		this.script.add(Scripted.ok());
		RetryPolicy fast = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5));
		try (OpenAiEmbeddingProvider provider = OpenAiEmbeddingProvider.builder()
			.apiKey(KEY)
			.baseUrl(this.baseUrl)
			.dimensions(4)
			.timeout(Duration.ofMillis(400))
			.retryPolicy(fast)
			.build()) {
			assertThat(provider.embedAll(List.of("x"))).hasSize(1);
			assertThat(this.count).hasValue(2);
			// the first attempt was cut at the time-out, not waited out (measured at the server, so the
			// client's one-off start-up cost does not count)
			assertThat(Duration.ofNanos(this.arrivals.get(1) - this.arrivals.get(0)))
				.isLessThan(Duration.ofMillis(1200));
		}
	}

	@Test
	void aRetryAfterBeyondTheLimitFailsAsRetryableWithoutWaiting() {
		this.script.add(Scripted.error(429, Map.of("Retry-After", "3600"), "Slow down"));
		try (OpenAiEmbeddingProvider provider = provider(RetryPolicy.of(5), 256)) {
			long start = System.nanoTime();
			assertThatExceptionOfType(EmbeddingException.class).isThrownBy(() -> provider.embedAll(List.of("x")))
				.satisfies((ex) -> assertThat(ex.retryable()).isTrue());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
			assertThat(this.count).hasValue(1);
		}
	}

	@Test
	void blankTextIsRejectedBeforeAnyRequest() {
		try (OpenAiEmbeddingProvider provider = provider(RetryPolicy.of(3), 256)) {
			assertThatIllegalArgumentException().isThrownBy(() -> provider.embedAll(List.of("ok", " ")))
				.withMessageContaining("text 1");
			assertThat(provider.embedAll(List.of())).isEmpty();
			assertThat(this.count).hasValue(0);
		}
	}

	private OpenAiEmbeddingProvider provider(RetryPolicy policy, int maxBatchSize) {
		return OpenAiEmbeddingProvider.builder()
			.apiKey(KEY)
			.baseUrl(this.baseUrl)
			.dimensions(4)
			.timeout(Duration.ofSeconds(5))
			.maxBatchSize(maxBatchSize)
			.retryPolicy(policy)
			.build();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			this.arrivals.add(System.nanoTime());
			this.count.incrementAndGet();
			JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
			this.requests.add(request);
			this.authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
			Scripted answer = this.script.poll();
			if (answer == null) {
				answer = Scripted.error(500, Map.of(), "test script exhausted");
			}
			if (!answer.delay().isZero()) {
				sleep(answer.delay());
			}
			String body = (answer.status() == 200) ? embeddings(request) : answer.body();
			answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(answer.status(), bytes.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
		catch (IOException ex) {
			// the client gave up (time-out test); nothing to answer
		}
	}

	/** Input i gets 3 at position i%3 and 4 at the next, so its unit vector is (0.6, 0.8) there. */
	private static String embeddings(JsonNode request) {
		ObjectNode response = JSON.createObjectNode();
		response.put("object", "list");
		response.put("model", request.get("model").asString());
		ArrayNode data = response.putArray("data");
		int inputs = request.get("input").size();
		for (int i = inputs - 1; i >= 0; i--) {
			ObjectNode item = data.addObject();
			item.put("object", "embedding");
			item.put("index", i);
			ArrayNode vector = item.putArray("embedding");
			for (int d = 0; d < 4; d++) {
				vector.add((d == i % 3) ? 3.0 : (d == i % 3 + 1) ? 4.0 : 0.0);
			}
		}
		ObjectNode usage = response.putObject("usage");
		// seven tokens per input, so a sum of batches is told apart from a count of inputs or requests
		usage.put("prompt_tokens", 7 * inputs);
		usage.put("total_tokens", 7 * inputs);
		return response.toString();
	}

	private static void sleep(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private record Scripted(int status, Map<String, String> headers, String body, Duration delay) {

		static Scripted ok() {
			return new Scripted(200, Map.of(), null, Duration.ZERO);
		}

		static Scripted error(int status, Map<String, String> headers, String message) {
			ObjectNode error = JSON.createObjectNode();
			ObjectNode inner = error.putObject("error");
			inner.put("message", message);
			inner.put("type", (status == 429) ? "rate_limit_exceeded" : "invalid_request_error");
			inner.putNull("code");
			return new Scripted(status, headers, error.toString(), Duration.ZERO);
		}

		Scripted after(Duration delay) {
			return new Scripted(this.status, this.headers, this.body, delay);
		}

	}

}
