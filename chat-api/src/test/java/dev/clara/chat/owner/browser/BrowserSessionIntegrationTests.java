package dev.clara.chat.owner.browser;

import java.time.Instant;
import java.util.Map;

import com.nimbusds.jwt.JWTParser;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.owner.browser.SessionServer.Account;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.clara.chat.owner.browser.BrowserClient.setCookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dashboard's cookie session over HTTP against a running chat-api ({@link SessionServer}). */
class BrowserSessionIntegrationTests {

	private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
			+ "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'; "
			+ "object-src 'none'";

	@BeforeAll
	static void server() {
		SessionServer.start();
	}

	@Test
	void signInSetsHttpOnlyStrictCookiesAndTheBodyHoldsNoToken() {
		Account account = SessionServer.account();
		BrowserClient browser = SessionServer.browser();
		Reply signedIn = browser.signIn(account.email(), account.password());

		assertThat(signedIn.status()).isEqualTo(200);
		assertThat(signedIn.json().get("user").get("id").asString()).isEqualTo(account.id().toString());
		assertThat(signedIn.json().get("user").get("email").asString()).isEqualTo(account.email());
		assertThat(signedIn.json().get("workspace").get("id").asString()).isEqualTo(account.workspaceId().toString());
		assertThat(signedIn.json().get("workspace").get("name").asString()).isNotBlank();
		assertThat(signedIn.json().get("mode").asString()).isEqualTo("standalone");
		assertThat(browser.csrf).hasSizeGreaterThan(20);
		for (String name : new String[] { SessionCookies.ACCESS, SessionCookies.REFRESH }) {
			String cookie = setCookie(signedIn, name);
			assertThat(cookie).as(name).isNotNull().contains("HttpOnly").contains("SameSite=Strict").contains("Path=/")
				.doesNotContain("Secure");
			assertThat(signedIn.body()).doesNotContain(browser.cookies.get(name));
		}
		assertThat(signedIn.body()).doesNotContain("access_token").doesNotContain("refresh_token");
		assertThat(signedIn.header("Cache-Control")).isEqualTo("no-store");
		assertThat(signedIn.header("Content-Security-Policy")).isEqualTo(CSP);

		// the cookie stands in for the bearer: the session, the owner API
		Reply session = browser.get("/app/api/session");
		assertThat(session.status()).isEqualTo(200);
		assertThat(session.json().get("csrf_token").asString()).isEqualTo(browser.csrf);
		Reply workspace = browser.get("/api/owner/workspace");
		assertThat(workspace.status()).isEqualTo(200);
		assertThat(workspace.json().get("id").asString()).isEqualTo(account.workspaceId().toString());
		for (Reply reply : new Reply[] { session, workspace }) {
			browser.cookies.values().forEach(value -> assertThat(reply.body()).doesNotContain(value));
		}
	}

	@Test
	void cookiesAreSecureWhenTheRequestCameOverHttps() {
		Account account = SessionServer.account();
		BrowserClient browser = SessionServer.browser();
		// as a TLS-terminating proxy forwards it (its port, 443, is the origin's)
		browser.headers.put("X-Forwarded-Proto", "https");
		Reply signedIn = browser.send("POST", "/app/api/session",
				OwnerJson.of("email", account.email(), "password", account.password()),
				Map.of("Origin", "https://127.0.0.1"));
		assertThat(signedIn.status()).isEqualTo(200);
		assertThat(setCookie(signedIn, SessionCookies.ACCESS)).contains("Secure").contains("HttpOnly");
		assertThat(setCookie(signedIn, SessionCookies.REFRESH)).contains("Secure").contains("HttpOnly");
	}

	@Test
	void wrongPasswordIs401AndSetsNoCookie() {
		Account account = SessionServer.account();
		BrowserClient browser = SessionServer.browser();
		Reply refused = browser.signIn(account.email(), "not the password");
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.json().get("detail").asString()).isNotBlank();
		assertThat(BrowserClient.setCookies(refused)).isEmpty();
		assertThat(browser.get("/app/api/session").status()).isEqualTo(401);
	}

	@Test
	void signInIsThrottledPerAddressLikeTheAccountEndpoints() {
		Account account = SessionServer.account();
		BrowserClient browser = SessionServer.browser();
		Reply last = null;
		for (int i = 0; i <= SessionServer.PER_ADDRESS + 1; i++) {
			last = browser.signIn(account.email(), "wrong " + i);
			if (last.status() == 429) {
				break;
			}
			assertThat(last.status()).isEqualTo(401);
		}
		assertThat(last.status()).isEqualTo(429);
		assertThat(last.header("Retry-After")).isNotNull();
		assertThat(last.json().get("detail").asString()).contains("Too many");
	}

	@Test
	void aStateChangeNeedsTheSessionsCsrfTokenAndTheSameOriginAndWritesNothingWithout() {
		Account account = SessionServer.account();
		BrowserClient browser = SessionServer.browser();
		assertThat(browser.signIn(account.email(), account.password()).status()).isEqualTo(200);
		String before = SessionServer.workspaceName(account.workspaceId());
		String rename = OwnerJson.of("name", "Renamed by the dashboard");

		Reply missing = browser.send("PATCH", "/api/owner/workspace", rename, Map.of());
		assertThat(missing.status()).isEqualTo(403);
		assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
		Reply wrong = browser.send("PATCH", "/api/owner/workspace", rename,
				Map.of("X-CSRF-Token", browser.csrf.substring(1) + "A"));
		assertThat(wrong.status()).isEqualTo(403);
		Reply otherSession = browser.send("PATCH", "/api/owner/workspace", rename,
				Map.of("X-CSRF-Token", otherSessionsCsrf()));
		assertThat(otherSession.status()).isEqualTo(403);
		Reply crossSite = browser.send("PATCH", "/api/owner/workspace", rename,
				Map.of("X-CSRF-Token", browser.csrf, "Origin", "https://evil.example"));
		assertThat(crossSite.status()).isEqualTo(403);
		Reply fetchSite = browser.send("PATCH", "/api/owner/workspace", rename,
				Map.of("X-CSRF-Token", browser.csrf, "Sec-Fetch-Site", "cross-site"));
		assertThat(fetchSite.status()).isEqualTo(403);
		assertThat(SessionServer.workspaceName(account.workspaceId())).isEqualTo(before);

		Reply allowed = browser.change("PATCH", "/api/owner/workspace", rename);
		assertThat(allowed.status()).isEqualTo(200);
		assertThat(SessionServer.workspaceName(account.workspaceId())).isEqualTo("Renamed by the dashboard");
	}

	@Test
	void aBearerHeaderWinsAndNeedsNoCsrfToken() {
		Account account = SessionServer.account();
		BrowserClient api = SessionServer.browser();
		Reply tokens = api.send("POST", "/api/owner/auth/signin",
				OwnerJson.of("email", account.email(), "password", account.password()), Map.of());
		assertThat(tokens.status()).isEqualTo(200);
		// a browser signed in to another account: the header, not its cookie, says who this is
		Account cookieOwner = SessionServer.account();
		BrowserClient browser = SessionServer.browser();
		assertThat(browser.signIn(cookieOwner.email(), cookieOwner.password()).status()).isEqualTo(200);
		String cookieOwnersName = SessionServer.workspaceName(cookieOwner.workspaceId());
		Reply patched = browser.send("PATCH", "/api/owner/workspace", OwnerJson.of("name", "Via bearer"),
				Map.of("Authorization", "Bearer " + tokens.json().get("access_token").asString()));
		assertThat(patched.status()).isEqualTo(200);
		assertThat(SessionServer.workspaceName(account.workspaceId())).isEqualTo("Via bearer");
		assertThat(SessionServer.workspaceName(cookieOwner.workspaceId())).isEqualTo(cookieOwnersName);
	}

	@Test
	void anExpiredAccessTokenIsReplacedWithTheRefreshCookieOnTheRequestThatFindsIt() throws Exception {
		Account account = SessionServer.account();
		BrowserClient browser = SessionServer.browser();
		assertThat(browser.signIn(account.email(), account.password()).status()).isEqualTo(200);
		String access = browser.cookies.get(SessionCookies.ACCESS);
		String refresh = browser.cookies.get(SessionCookies.REFRESH);
		Instant expires = JWTParser.parse(access).getJWTClaimsSet().getExpirationTime().toInstant();
		await().until(() -> Instant.now().isAfter(expires));

		Reply workspace = browser.get("/api/owner/workspace");
		assertThat(workspace.status()).isEqualTo(200);
		assertThat(setCookie(workspace, SessionCookies.ACCESS)).contains("HttpOnly");
		assertThat(browser.cookies.get(SessionCookies.ACCESS)).isNotEqualTo(access);
		assertThat(browser.cookies.get(SessionCookies.REFRESH)).isNotEqualTo(refresh);
		// the same session: the CSRF token still fits, a change goes through on the refreshed cookie
		assertThat(browser.change("PATCH", "/api/owner/workspace", OwnerJson.of("name", "After refresh")).status())
			.isEqualTo(200);
		// a request that raced the refresh with the old cookies gets an access token, no replay alarm
		BrowserClient racing = new BrowserClient(SessionServer.port(), SessionServer.address());
		racing.cookies.put(SessionCookies.ACCESS, access);
		racing.cookies.put(SessionCookies.REFRESH, refresh);
		Reply raced = racing.get("/app/api/session");
		assertThat(raced.status()).isEqualTo(200);
		assertThat(setCookie(raced, SessionCookies.REFRESH)).isNull();
		assertThat(browser.get("/app/api/session").status()).isEqualTo(200);
	}

	@Test
	void signOutNeedsTheCsrfTokenRevokesTheRefreshTokenAndTheCookiesNoLongerWork() {
		Account account = SessionServer.account();
		BrowserClient browser = SessionServer.browser();
		assertThat(browser.signIn(account.email(), account.password()).status()).isEqualTo(200);
		Map<String, String> kept = Map.copyOf(browser.cookies);

		assertThat(browser.send("DELETE", "/app/api/session", null, Map.of()).status()).isEqualTo(403);
		assertThat(browser.get("/app/api/session").status()).isEqualTo(200);
		Reply signedOut = browser.change("DELETE", "/app/api/session", null);
		assertThat(signedOut.status()).isEqualTo(204);
		assertThat(setCookie(signedOut, SessionCookies.ACCESS)).contains("Max-Age=0");
		assertThat(setCookie(signedOut, SessionCookies.REFRESH)).contains("Max-Age=0");
		assertThat(browser.cookies).isEmpty();
		assertThat(browser.get("/app/api/session").status()).isEqualTo(401);

		// a copy of the cookies (a stolen one, another tab) no longer works either
		BrowserClient copy = SessionServer.browser();
		copy.cookies.putAll(kept);
		assertThat(copy.get("/app/api/session").status()).isEqualTo(401);
		assertThat(copy.get("/api/owner/workspace").status()).isEqualTo(401);
		BrowserClient refreshOnly = SessionServer.browser();
		refreshOnly.cookies.put(SessionCookies.REFRESH, kept.get(SessionCookies.REFRESH));
		Reply refused = refreshOnly.get("/app/api/session");
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(SessionServer.jdbc()
			.sql("SELECT bool_and(revoked_at IS NOT NULL) FROM owner_refresh_tokens WHERE user_id = :id")
			.param("id", account.id())
			.query(Boolean.class)
			.single()).isTrue();
	}

	@Test
	void signOutWithoutTheRefreshCookieStillEndsTheSession() {
		Account account = SessionServer.account();
		BrowserClient browser = SessionServer.browser();
		assertThat(browser.signIn(account.email(), account.password()).status()).isEqualTo(200);
		String access = browser.cookies.get(SessionCookies.ACCESS);
		browser.cookies.remove(SessionCookies.REFRESH);
		assertThat(browser.change("DELETE", "/app/api/session", null).status()).isEqualTo(204);
		BrowserClient copy = SessionServer.browser();
		copy.cookies.put(SessionCookies.ACCESS, access);
		assertThat(copy.get("/api/owner/workspace").status()).isEqualTo(401);
	}

	@Test
	void aSessionCookieDoesNotGetInTheWayOfTheAccountEndpoints() {
		Account account = SessionServer.account();
		BrowserClient browser = SessionServer.browser();
		assertThat(browser.signIn(account.email(), account.password()).status()).isEqualTo(200);
		// no CSRF token: these endpoints take no session, so the cookie plays no part
		Reply tokens = browser.send("POST", "/api/owner/auth/signin",
				OwnerJson.of("email", account.email(), "password", account.password()), Map.of());
		assertThat(tokens.status()).isEqualTo(200);
	}

	@Test
	void withoutASessionTheSessionIs401ProblemJson() {
		Reply reply = SessionServer.browser().get("/app/api/session");
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		assertThat(reply.header("Content-Security-Policy")).isEqualTo(CSP);
	}

	@Test
	void everyAppResponseCarriesTheSecurityHeaders() {
		for (String path : new String[] { "/app/", "/app/no-such-file.js", "/app/api/oauth/providers" }) {
			Reply reply = SessionServer.browser().get(path);
			assertThat(reply.header("Content-Security-Policy")).as(path).isEqualTo(CSP);
			assertThat(reply.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
			assertThat(reply.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
		}
		// and only there: the widget is framed by other sites
		assertThat(SessionServer.browser().get("/api/owner/openapi.json").header("Content-Security-Policy")).isNull();
	}

	@Test
	void signInFromAnotherSiteIsRefused() {
		Account account = SessionServer.account();
		Reply refused = SessionServer.browser().send("POST", "/app/api/session",
				OwnerJson.of("email", account.email(), "password", account.password()),
				Map.of("Origin", "https://evil.example"));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(BrowserClient.setCookies(refused)).isEmpty();
	}

	private static String otherSessionsCsrf() {
		Account other = SessionServer.account();
		BrowserClient browser = SessionServer.browser();
		assertThat(browser.signIn(other.email(), other.password()).status()).isEqualTo(200);
		return browser.csrf;
	}

}
