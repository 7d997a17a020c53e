package dev.clara.chat.owner.browser;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls to OAuth providers and Supabase Auth: JSON answers, bounded time, no redirects followed. */
final class ProviderHttp {

	/** Bounds what a provider's answer may cost us to hold. */
	private static final int MAX_BODY = 1 << 20;

	private final HttpClient client;

	private final JsonMapper json;

	private final Duration timeout;

	ProviderHttp(JsonMapper json, Duration timeout) {
		this.client = HttpClient.newBuilder()
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.json = json;
		this.timeout = timeout;
	}

	record Answer(int status, JsonNode body) {

		boolean ok() {
			return this.status >= 200 && this.status < 300;
		}

	}

	Answer get(String url, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(this.timeout).GET();
		headers.forEach(request::header);
		return send(request.header("Accept", "application/json").build());
	}

	Answer postForm(String url, Map<String, String> form, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(this.timeout)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(form(form)));
		headers.forEach(request::header);
		return send(request.build());
	}

	Answer postJson(String url, Object body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)));
		headers.forEach(request::header);
		return send(request.build());
	}

	private Answer send(HttpRequest request) {
		try {
			HttpResponse<byte[]> response = this.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
			byte[] body = response.body();
			JsonNode parsed = null;
			if (body != null && body.length > 0 && body.length <= MAX_BODY) {
				try {
					parsed = this.json.readTree(body);
				}
				catch (RuntimeException notJson) {
					parsed = null;
				}
			}
			return new Answer(response.statusCode(), parsed);
		}
		catch (IOException ex) {
			throw new OAuthProvider.OAuthFailure("call to " + request.uri().getHost() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new OAuthProvider.OAuthFailure("interrupted", ex);
		}
	}

	static String form(Map<String, String> values) {
		return values.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	static String withQuery(String url, Map<String, String> query) {
		return url + (url.contains("?") ? "&" : "?") + form(query);
	}

	static Map<String, String> map(String... keyValues) {
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			map.put(keyValues[i], keyValues[i + 1]);
		}
		return map;
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node == null ? null : node.get(field);
		return value == null || value.isNull() || !value.isValueNode() ? null : value.asString();
	}

}
