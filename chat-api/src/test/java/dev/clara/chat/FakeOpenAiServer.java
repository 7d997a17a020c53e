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
 * configurable delay, and can be told to fail. A {@code "stream": true} request is answered with
 * server-sent chunks as OpenAI sends them (one word each, then the usage, then {@code [DONE]}),
 * {@link #chunkDelay} apart, and can be told to break off after some of them.
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

	private volatile String answer = "Our Pro plan costs 49 dollars a month. [1]";

	private volatile Duration chunkDelay = Duration.ZERO;

	private volatile int breakAfterChunks = -1;

	private volatile StreamBreak streamBreak = StreamBreak.ERROR_EVENT;

	/** When each streamed content chunk was flushed, in {@link System#nanoTime()}, across all requests. */
	private final List<Long> chunkSentAt = new CopyOnWriteArrayList<>();

	/** How a stream told to break off ends. */
	public enum StreamBreak {

		/** an {@code error} object in a data line, as OpenAI reports a failure after the stream began */
		ERROR_EVENT,

		/** the response just ends: no finish reason, no usage, no {@code [DONE]} */
		CUT

	}

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
		this.chunkDelay = Duration.ZERO;
		this.breakAfterChunks = -1;
		this.streamBreak = StreamBreak.ERROR_EVENT;
		this.chunkSentAt.clear();
		this.answer = "Our Pro plan costs 49 dollars a month. [1]";
	}

	public void chunkDelay(Duration delay) {
		this.chunkDelay = delay;
	}

	/** Streams end after {@code chunks} content chunks, the way {@code how} says. */
	public void breakStreamAfter(int chunks, StreamBreak how) {
		this.breakAfterChunks = chunks;
		this.streamBreak = how;
	}

	public List<Long> chunkSentAt() {
		return List.copyOf(this.chunkSentAt);
	}

	/** The content chunks a stream of the current answer is made of: its words, each with the space before it. */
	public List<String> chunks() {
		List<String> chunks = new java.util.ArrayList<>();
		String[] words = this.answer.split(" ");
		for (int i = 0; i < words.length; i++) {
			chunks.add(i == 0 ? words[i] : " " + words[i]);
		}
		return chunks;
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
		if (status == 0 && body.replace(" ", "").contains("\"stream\":true")) {
			stream(exchange);
			return;
		}
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

	private void stream(HttpExchange exchange) throws IOException {
		exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
		try (exchange) {
			exchange.sendResponseHeaders(200, 0);
			var out = exchange.getResponseBody();
			List<String> chunks = chunks();
			for (int i = 0; i < chunks.size(); i++) {
				if (i == this.breakAfterChunks) {
					if (this.streamBreak == StreamBreak.ERROR_EVENT) {
						send(out, "{\"error\":{\"message\":\"provider is down\",\"type\":\"server_error\"}}");
					}
					return;
				}
				pause(this.chunkDelay);
				send(out, chunk("{\"role\":\"assistant\",\"content\":" + quote(chunks.get(i)) + "}", null));
				this.chunkSentAt.add(System.nanoTime());
			}
			send(out, chunk("{}", "\"stop\""));
			send(out, """
					{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini",\
					"choices":[],"usage":{"prompt_tokens":120,"completion_tokens":15,"total_tokens":135}}""");
			out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
			out.flush();
		}
		catch (IOException ex) {
			// the client gave up (time-out); nothing more to send
		}
	}

	private static String chunk(String delta, String finishReason) {
		return """
				{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini",\
				"choices":[{"index":0,"delta":%s,"finish_reason":%s}]}""".formatted(delta, finishReason);
	}

	private static void send(java.io.OutputStream out, String json) throws IOException {
		out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	private static void pause(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
