package dev.clara.chat.owner.browser;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * GitHub's OAuth and REST endpoints as far as the sign-in uses them. The authorize page "signs in"
 * the user named by {@link #nextUser} at once and redirects back with a code; the token endpoint
 * checks the client, the code and the PKCE verifier against the challenge; {@code /user} and
 * {@code /user/emails} answer for the access token's user.
 */
final class FakeGitHub implements AutoCloseable {

	record Email(String email, boolean primary, boolean verified) {
	}

	record Account(long id, List<Email> emails) {
	}

	private record Grant(Account account, String challenge, String redirectUri) {
	}

	private final HttpServer server;

	private final String clientId;

	private final String clientSecret;

	private final Map<String, Grant> codes = new ConcurrentHashMap<>();

	private final Map<String, Account> tokens = new ConcurrentHashMap<>();

	/** Who "signs in" at the next authorize request. */
	volatile Account nextUser;

	FakeGitHub(String clientId, String clientSecret) throws IOException {
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/login/oauth/authorize", this::authorize);
		this.server.createContext("/login/oauth/access_token", this::token);
		this.server.createContext("/api/user", this::user);
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private void authorize(HttpExchange exchange) throws IOException {
		Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
		if (!this.clientId.equals(query.get("client_id")) || !"S256".equals(query.get("code_challenge_method"))) {
			answer(exchange, 400, Map.of("error", "bad request"));
			return;
		}
		String code = UUID.randomUUID().toString();
		this.codes.put(code, new Grant(this.nextUser, query.get("code_challenge"), query.get("redirect_uri")));
		exchange.getResponseHeaders().set("Location", query.get("redirect_uri") + "?code=" + code + "&state="
				+ java.net.URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
		exchange.sendResponseHeaders(302, -1);
		exchange.close();
	}

	private void token(HttpExchange exchange) throws IOException {
		Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
		Grant grant = this.codes.remove(String.valueOf(form.get("code")));
		if (grant == null || !this.clientId.equals(form.get("client_id"))
				|| !this.clientSecret.equals(form.get("client_secret"))
				|| !grant.redirectUri().equals(form.get("redirect_uri"))
				|| !grant.challenge().equals(s256(String.valueOf(form.get("code_verifier"))))) {
			// GitHub answers errors with 200 and an error field
			answer(exchange, 200, Map.of("error", "bad_verification_code"));
			return;
		}
		String token = "gho_" + UUID.randomUUID().toString().replace("-", "");
		this.tokens.put(token, grant.account());
		answer(exchange, 200, Map.of("access_token", token, "token_type", "bearer", "scope", "read:user,user:email"));
	}

	private void user(HttpExchange exchange) throws IOException {
		String bearer = exchange.getRequestHeaders().getFirst("Authorization");
		Account account = bearer == null ? null : this.tokens.get(bearer.substring(7));
		if (account == null) {
			answer(exchange, 401, Map.of("message", "Bad credentials"));
			return;
		}
		if (exchange.getRequestURI().getPath().equals("/api/user")) {
			answer(exchange, 200, Map.of("id", account.id(), "login", "user" + account.id()));
		}
		else {
			answer(exchange, 200, account.emails());
		}
	}

	private static String s256(String verifier) {
		try {
			return Base64.getUrlEncoder().withoutPadding().encodeToString(
					MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, String> form(String encoded) {
		Map<String, String> values = new HashMap<>();
		if (encoded == null || encoded.isEmpty()) {
			return values;
		}
		for (String pair : encoded.split("&")) {
			int eq = pair.indexOf('=');
			values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		return values;
	}

	private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
		byte[] bytes = OwnerJson.JSON.writeValueAsBytes(body);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
