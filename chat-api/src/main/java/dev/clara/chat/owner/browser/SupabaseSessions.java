package dev.clara.chat.owner.browser;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.owner.auth.AuthService;
import dev.clara.chat.owner.auth.AuthThrottle;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;

/**
 * Sessions of Supabase Auth (GoTrue), made server side: the password grant at sign-in, the
 * refresh-token grant at refresh, {@code /logout} at sign-out; the Supabase session then lives in
 * the same HttpOnly cookies as a standalone one, and its access token is verified by the owner API
 * like any Supabase JWT. Clara's throttles apply before Supabase is asked (Supabase has its own
 * too). At sign-out the session is also recorded as signed out for Clara
 * ({@link AuthService#signOutSessionById}), so a copy of its access token stops working before
 * it expires.
 */
class SupabaseSessions implements SessionBackend {

	private static final Logger log = LoggerFactory.getLogger(SupabaseSessions.class);

	private final String authUrl;

	private final String anonKey;

	private final ProviderHttp http;

	private final AuthThrottle throttle;

	private final AuthService auth;

	SupabaseSessions(BrowserProperties.Supabase settings, ProviderHttp http, AuthThrottle throttle, AuthService auth) {
		if (settings.anonKey() == null || settings.anonKey().isBlank()) {
			throw new IllegalStateException("CLARA_SUPABASE_URL is set: set CLARA_SUPABASE_ANON_KEY too");
		}
		String base = settings.url().endsWith("/") ? settings.url().substring(0, settings.url().length() - 1)
				: settings.url();
		this.authUrl = base + "/auth/v1";
		this.anonKey = settings.anonKey();
		this.http = http;
		this.throttle = throttle;
		this.auth = auth;
	}

	@Override
	public String mode() {
		return "supabase";
	}

	@Override
	public SessionTokens signIn(String email, String password, HttpServletRequest request) {
		this.throttle.address(request);
		String normalised = email.toLowerCase(Locale.ROOT);
		this.throttle.checkAccount(normalised);
		ProviderHttp.Answer answer = call(() -> this.http.postJson(this.authUrl + "/token?grant_type=password",
				Map.of("email", email, "password", password), Map.of("apikey", this.anonKey)));
		if (answer.ok()) {
			return tokens(answer);
		}
		if (answer.status() == 429) {
			throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
					"Too many sign-in attempts; try again later", java.util.List.of(), java.time.Duration.ofSeconds(60));
		}
		if (answer.status() == 400 || answer.status() == 401 || answer.status() == 403) {
			if (code(answer.body()).contains("email_not_confirmed") || code(answer.body()).contains("email not confirmed")) {
				throw new ApiProblem(HttpStatus.FORBIDDEN, "Email not confirmed",
						"Confirm your e-mail address first: follow the link Supabase mailed you");
			}
			this.throttle.failed(normalised);
			throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Unauthorized", "Invalid e-mail address or password");
		}
		throw unavailable(answer.status());
	}

	@Override
	public SessionTokens refresh(String refreshToken, HttpServletRequest request) {
		this.throttle.address(request);
		ProviderHttp.Answer answer = call(() -> this.http.postJson(this.authUrl + "/token?grant_type=refresh_token",
				Map.of("refresh_token", refreshToken), Map.of("apikey", this.anonKey)));
		if (answer.ok()) {
			return tokens(answer);
		}
		if (answer.status() >= 400 && answer.status() < 500 && answer.status() != 429) {
			throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Unauthorized", "The session has ended");
		}
		throw unavailable(answer.status());
	}

	@Override
	public void signOut(String refreshToken, String accessToken) {
		if (accessToken == null) {
			return;
		}
		try {
			ProviderHttp.Answer answer = this.http.postJson(this.authUrl + "/logout?scope=local", Map.of(),
					Map.of("apikey", this.anonKey, "Authorization", "Bearer " + accessToken));
			if (!answer.ok()) {
				log.warn("Supabase Auth answered {} to a sign-out", answer.status());
			}
		}
		catch (OAuthProvider.OAuthFailure ex) {
			log.warn("Supabase Auth sign-out failed: {}", ex.getMessage());
		}
		Map<String, Object> claims = BrowserSessionFilter.unverifiedClaims(accessToken);
		UUID session = claims == null ? null : uuid(claims.get("session_id"));
		UUID user = claims == null ? null : uuid(claims.get("sub"));
		if (session != null && user != null) {
			this.auth.signOutSessionById(session, user);
		}
	}

	private static SessionTokens tokens(ProviderHttp.Answer answer) {
		String access = ProviderHttp.text(answer.body(), "access_token");
		String refresh = ProviderHttp.text(answer.body(), "refresh_token");
		if (access == null || refresh == null) {
			throw unavailable(answer.status());
		}
		return new SessionTokens(access, refresh);
	}

	/** Supabase Auth's error code or message, lower case, to tell "not confirmed" from "wrong password". */
	private static String code(JsonNode body) {
		if (body == null) {
			return "";
		}
		StringBuilder text = new StringBuilder();
		for (String field : new String[] { "error_code", "error", "error_description", "msg", "message" }) {
			String value = ProviderHttp.text(body, field);
			if (value != null) {
				text.append(value.toLowerCase(Locale.ROOT)).append(' ');
			}
		}
		return text.toString();
	}

	private static ProviderHttp.Answer call(java.util.function.Supplier<ProviderHttp.Answer> call) {
		try {
			return call.get();
		}
		catch (OAuthProvider.OAuthFailure ex) {
			log.warn("Supabase Auth could not be reached: {}", ex.getMessage());
			throw unavailable(0);
		}
	}

	private static ApiProblem unavailable(int status) {
		if (status != 0) {
			log.warn("Supabase Auth answered {}", status);
		}
		return OwnerProblems.unavailable("Signing in is not possible right now: try again in a moment");
	}

	private static UUID uuid(Object value) {
		try {
			return value == null ? null : UUID.fromString(value.toString());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
