package dev.clara.chat.owner.browser;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;

/**
 * A browser as far as the dashboard's session goes: a cookie jar (cookies set with
 * {@code Max-Age=0} are dropped), same-origin requests with {@code Origin}, and the CSRF token the
 * session body handed it. Each client comes from a client address of its own.
 */
final class BrowserClient {

	private final ChatApiHttp http;

	private final int port;

	private final String address;

	final Map<String, String> cookies = new LinkedHashMap<>();

	String csrf;

	/** Extra headers of every request (e.g. {@code X-Forwarded-Proto}). */
	final Map<String, String> headers = new LinkedHashMap<>();

	BrowserClient(int port, String address) {
		this.port = port;
		this.http = new ChatApiHttp(port);
		this.address = address;
	}

	String origin() {
		return "http://127.0.0.1:" + this.port;
	}

	Reply get(String path) {
		return send("GET", path, null, Map.of());
	}

	Reply send(String method, String path, String json, Map<String, String> extra) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.http.baseUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.header("X-Forwarded-For", this.address)
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (!"GET".equals(method)) {
			request.header("Origin", origin());
		}
		if (!this.cookies.isEmpty()) {
			request.header("Cookie", String.join("; ",
					this.cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
		}
		this.headers.forEach(request::header);
		extra.forEach(request::setHeader);
		Reply reply = this.http.send(request.build());
		for (String cookie : setCookies(reply)) {
			String pair = cookie.split(";", 2)[0];
			String name = pair.substring(0, pair.indexOf('='));
			String value = pair.substring(pair.indexOf('=') + 1);
			if (cookie.contains("Max-Age=0")) {
				this.cookies.remove(name);
			}
			else {
				this.cookies.put(name, value);
			}
		}
		return reply;
	}

	/** A state change with the session's CSRF token. */
	Reply change(String method, String path, String json) {
		return send(method, path, json, this.csrf == null ? Map.of() : Map.of("X-CSRF-Token", this.csrf));
	}

	Reply signIn(String email, String password) {
		Reply reply = send("POST", "/app/api/session", OwnerJson.of("email", email, "password", password), Map.of());
		if (reply.status() == 200) {
			this.csrf = reply.json().get("csrf_token").asString();
		}
		return reply;
	}

	static List<String> setCookies(Reply reply) {
		return reply.raw().headers().allValues("Set-Cookie");
	}

	/** The Set-Cookie header of the named cookie, or null. */
	static String setCookie(Reply reply, String name) {
		return setCookies(reply).stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
	}

}
