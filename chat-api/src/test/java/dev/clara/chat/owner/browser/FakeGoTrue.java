package dev.clara.chat.owner.browser;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * A small Supabase Auth (GoTrue) for the tests: {@code POST /auth/v1/token?grant_type=password}
 * and {@code …=refresh_token} (rotating refresh tokens), {@code POST /auth/v1/logout}, answering as
 * GoTrue does, and issuing HS256 access tokens with the test's Supabase JWT secret. It insists on
 * the {@code apikey} header and records what it was asked.
 */
final class FakeGoTrue implements AutoCloseable {

	record User(UUID id, String email, String password, boolean confirmed) {
	}

	private record Session(UUID id, User user) {
	}

	private final HttpServer server;

	private final String secret;

	private final String anonKey;

	private final Duration accessTtl;

	final Map<String, User> users = new ConcurrentHashMap<>();

	private final Map<String, Session> refreshTokens = new ConcurrentHashMap<>();

	/** Every call: {@code grant_type=…} or {@code logout}, with the bearer's session for a logout. */
	final List<String> calls = new CopyOnWriteArrayList<>();

	/** When set, every token call answers 429 (Supabase's own rate limit). */
	volatile boolean rateLimited;

	FakeGoTrue(String secret, String anonKey, Duration accessTtl) throws IOException {
		this.secret = secret;
		this.anonKey = anonKey;
		this.accessTtl = accessTtl;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/auth/v1/token", this::token);
		this.server.createContext("/auth/v1/logout", this::logout);
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private void token(HttpExchange exchange) throws IOException {
		if (!this.anonKey.equals(exchange.getRequestHeaders().getFirst("apikey"))) {
			answer(exchange, 401, Map.of("message", "No API key found in request"));
			return;
		}
		String query = exchange.getRequestURI().getQuery();
		JsonNode body = OwnerJson.JSON.readTree(exchange.getRequestBody().readAllBytes());
		this.calls.add(query);
		if (this.rateLimited) {
			answer(exchange, 429, Map.of("code", 429, "error_code", "over_request_rate_limit", "msg", "Request rate limit reached"));
			return;
		}
		if ("grant_type=password".equals(query)) {
			User user = this.users.get(body.path("email").asString(""));
			if (user == null || !user.password().equals(body.path("password").asString(""))) {
				answer(exchange, 400, Map.of("code", 400, "error_code", "invalid_credentials", "msg", "Invalid login credentials"));
			}
			else if (!user.confirmed()) {
				answer(exchange, 400, Map.of("code", 400, "error_code", "email_not_confirmed", "msg", "Email not confirmed"));
			}
			else {
				answer(exchange, 200, session(new Session(UUID.randomUUID(), user)));
			}
			return;
		}
		if ("grant_type=refresh_token".equals(query)) {
			Session session = this.refreshTokens.remove(body.path("refresh_token").asString(""));
			if (session == null) {
				answer(exchange, 400, Map.of("code", 400, "error_code", "refresh_token_not_found", "msg", "Invalid Refresh Token: Refresh Token Not Found"));
			}
			else {
				answer(exchange, 200, session(session));
			}
			return;
		}
		answer(exchange, 400, Map.of("msg", "unsupported grant_type"));
	}

	private void logout(HttpExchange exchange) throws IOException {
		String bearer = exchange.getRequestHeaders().getFirst("Authorization");
		if (!this.anonKey.equals(exchange.getRequestHeaders().getFirst("apikey")) || bearer == null) {
			answer(exchange, 401, Map.of("message", "no"));
			return;
		}
		try {
			String sessionId = SignedJWT.parse(bearer.substring(7)).getJWTClaimsSet().getStringClaim("session_id");
			this.calls.add("logout " + sessionId);
			this.refreshTokens.values().removeIf(session -> session.id().toString().equals(sessionId));
		}
		catch (java.text.ParseException ex) {
			answer(exchange, 401, Map.of("message", "bad token"));
			return;
		}
		exchange.sendResponseHeaders(204, -1);
		exchange.close();
	}

	private Map<String, Object> session(Session session) {
		String refresh = UUID.randomUUID().toString().replace("-", "");
		this.refreshTokens.put(refresh, session);
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(session.user().id().toString())
			.audience("authenticated")
			.claim("role", "authenticated")
			.claim("email", session.user().email())
			.claim("session_id", session.id().toString())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(this.accessTtl)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		try {
			jwt.sign(new MACSigner(this.secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return Map.of("access_token", jwt.serialize(), "token_type", "bearer", "expires_in", this.accessTtl.toSeconds(),
				"refresh_token", refresh, "user", Map.of("id", session.user().id().toString(), "email", session.user().email()));
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
