package dev.clara.chat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server that speaks OpenAI's chat completions API, so the LLM path is tested
 * through openai-java's real HTTP client. It records every request, answers after a
 * configurable delay, and can be told to fail.
 */
public final class FakeOpenAiServer implements AutoCloseable {

	/** One request as the provider received it. */
	public record Received(String authorization, String body) {
	}

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final AtomicInteger completions = new AtomicInteger();

	private volatile Duration delay = Duration.ZERO;

	private volatile int failWithStatus;

	private volatile String answer = "Our Pro plan costs 49 dollars a month.";

	public FakeOpenAiServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/v1/chat/completions", this::complete);
		this.server.setExecutor(Executors.newFixedThreadPool(32));
		this.server.start();
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1";
	}

	public List<Received> received() {
		return List.copyOf(this.received);
	}

	public int completions() {
		return this.completions.get();
	}

	public void reset() {
		this.received.clear();
		this.completions.set(0);
		this.delay = Duration.ZERO;
		this.failWithStatus = 0;
	}

	public void delay(Duration delay) {
		this.delay = delay;
	}

	public void failWith(int status) {
		this.failWithStatus = status;
	}

	public void answer(String answer) {
		this.answer = answer;
	}

	private void complete(HttpExchange exchange) throws IOException {
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		this.received.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"), body));
		this.completions.incrementAndGet();
		try {
			Thread.sleep(this.delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		int status = this.failWithStatus;
		String response = status != 0 ? "{\"error\":{\"message\":\"provider is down\",\"type\":\"server_error\"}}"
				: """
						{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
						 "choices":[{"index":0,"finish_reason":"stop",
						   "message":{"role":"assistant","content":%s}}],
						 "usage":{"prompt_tokens":120,"completion_tokens":15,"total_tokens":135}}
						""".formatted(quote(this.answer));
		byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		try {
			exchange.sendResponseHeaders(status != 0 ? status : 200, bytes.length);
			exchange.getResponseBody().write(bytes);
		}
		catch (IOException ex) {
			// the client gave up (time-out); nothing to answer
		}
		exchange.close();
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
