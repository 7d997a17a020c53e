package dev.clara.chat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the running chat-api, as a widget or a curl would call it. */
public final class ChatApiHttp {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	public ChatApiHttp(int port) {
		this.baseUrl = "http://127.0.0.1:" + port;
	}

	/** A response with its body parsed when it is JSON. */
	public record Reply(int status, String body, HttpResponse<String> raw) {

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

		public String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

	}

	public static String token() {
		return "tok-" + UUID.randomUUID() + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	public static String body(UUID workspaceId, String token, UUID messageId, String content) {
		return JSON.createObjectNode()
			.put("workspace_id", workspaceId.toString())
			.put("session_token", token)
			.put("message_id", messageId.toString())
			.put("content", content)
			.toString();
	}

	public Reply chat(UUID workspaceId, String token, String content) {
		return post("/api/chat", body(workspaceId, token, UUID.randomUUID(), content));
	}

	public Reply post(String path, String body) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	public Reply get(String path, String sessionToken) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path)).GET();
		if (sessionToken != null) {
			request.header("X-Clara-Session-Token", sessionToken);
		}
		return send(request.build());
	}

	public Reply send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			return new Reply(response.statusCode(), response.body(), response);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public String baseUrl() {
		return this.baseUrl;
	}

}
