package dev.clara.chat.owner.browser;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jwt.JWTParser;
import dev.clara.chat.ChatApiApplication;
import dev.clara.chat.ChatApiDatabase;
import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.clara.chat.owner.browser.BrowserClient.setCookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's session in Supabase mode: chat-api signs in through a (fake, local) Supabase Auth
 * server side and keeps the Supabase session in the same cookies; the owner API verifies the
 * Supabase access token with the project's JWT secret, as it verifies any Supabase JWT.
 */
class SupabaseSessionIntegrationTests {

	private static final String SUPABASE_JWT_SECRET = "supabase-mode-test-jwt-secret-0123456789abc";

	private static final String ANON_KEY = "anon-key-of-the-test-project";

	private static final AtomicInteger ADDRESSES = new AtomicInteger();

	private static FakeGoTrue goTrue;

	private static ConfigurableApplicationContext clara;

	@BeforeAll
	static void servers() throws IOException {
		goTrue = new FakeGoTrue(SUPABASE_JWT_SECRET, ANON_KEY, Duration.ofSeconds(2));
		clara = new SpringApplicationBuilder(ChatApiApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + ChatApiDatabase.get().jdbcUrl(), "--spring.datasource.username=postgres",
				"--clara.openai.api-key=", "--clara.owner.jwt.secret=" + SUPABASE_JWT_SECRET,
				"--clara.owner.jwt.clock-skew=0s", "--clara.chat.trusted-proxies=127.0.0.1",
				"--clara.owner.accounts.revocation-check-cache=0s",
				"--clara.owner.browser.supabase.url=" + goTrue.url(),
				"--clara.owner.browser.supabase.anon-key=" + ANON_KEY);
	}

	@AfterAll
	static void stop() {
		if (clara != null) {
			clara.close();
		}
		if (goTrue != null) {
			goTrue.close();
		}
	}

	@Test
	void signInGoesThroughSupabaseAuthAndTheSessionLivesInTheCookies() {
		FakeGoTrue.User user = user(true);
		BrowserClient browser = browser();
		Reply signedIn = browser.signIn(user.email(), user.password());
		assertThat(signedIn.status()).isEqualTo(200);
		assertThat(signedIn.json().get("mode").asString()).isEqualTo("supabase");
		assertThat(signedIn.json().get("user").get("id").asString()).isEqualTo(user.id().toString());
		assertThat(signedIn.json().get("workspace").get("id").asString()).isEqualTo(workspaceOf(user).toString());
		assertThat(setCookie(signedIn, SessionCookies.ACCESS)).contains("HttpOnly").contains("SameSite=Strict");
		assertThat(setCookie(signedIn, SessionCookies.REFRESH)).contains("HttpOnly");
		browser.cookies.values().forEach(value -> assertThat(signedIn.body()).doesNotContain(value));
		assertThat(goTrue.calls).contains("grant_type=password");

		assertThat(browser.get("/api/owner/workspace").status()).isEqualTo(200);
		assertThat(browser.change("PATCH", "/api/owner/workspace", OwnerJson.of("name", "Supabase owner")).status())
			.isEqualTo(200);
		assertThat(browser.send("PATCH", "/api/owner/workspace", OwnerJson.of("name", "No token"), Map.of()).status())
			.isEqualTo(403);
	}

	@Test
	void wrongPasswordIs401AnUnconfirmedAddress403AndSupabasesRateLimit429() {
		FakeGoTrue.User user = user(true);
		assertThat(browser().signIn(user.email(), "wrong").status()).isEqualTo(401);
		FakeGoTrue.User unconfirmed = user(false);
		Reply notConfirmed = browser().signIn(unconfirmed.email(), unconfirmed.password());
		assertThat(notConfirmed.status()).isEqualTo(403);
		assertThat(notConfirmed.json().get("title").asString()).isEqualTo("Email not confirmed");
		goTrue.rateLimited = true;
		try {
			Reply limited = browser().signIn(user.email(), user.password());
			assertThat(limited.status()).isEqualTo(429);
			assertThat(limited.header("Retry-After")).isNotNull();
		}
		finally {
			goTrue.rateLimited = false;
		}
	}

	@Test
	void anExpiredSupabaseAccessTokenIsRefreshedThroughSupabaseAuth() throws Exception {
		FakeGoTrue.User user = user(true);
		BrowserClient browser = browser();
		assertThat(browser.signIn(user.email(), user.password()).status()).isEqualTo(200);
		String access = browser.cookies.get(SessionCookies.ACCESS);
		Instant expires = JWTParser.parse(access).getJWTClaimsSet().getExpirationTime().toInstant();
		await().until(() -> Instant.now().isAfter(expires));
		long refreshes = goTrue.calls.stream().filter("grant_type=refresh_token"::equals).count();

		Reply workspace = browser.get("/api/owner/workspace");
		assertThat(workspace.status()).isEqualTo(200);
		assertThat(goTrue.calls.stream().filter("grant_type=refresh_token"::equals).count()).isEqualTo(refreshes + 1);
		assertThat(browser.cookies.get(SessionCookies.ACCESS)).isNotEqualTo(access);
	}

	@Test
	void signOutLogsOutAtSupabaseAndACopyOfTheCookiesNoLongerWorks() throws Exception {
		FakeGoTrue.User user = user(true);
		BrowserClient browser = browser();
		assertThat(browser.signIn(user.email(), user.password()).status()).isEqualTo(200);
		Map<String, String> kept = Map.copyOf(browser.cookies);
		String session = JWTParser.parse(kept.get(SessionCookies.ACCESS)).getJWTClaimsSet().getStringClaim("session_id");

		assertThat(browser.change("DELETE", "/app/api/session", null).status()).isEqualTo(204);
		assertThat(goTrue.calls).contains("logout " + session);
		assertThat(browser.cookies).isEmpty();
		BrowserClient copy = browser();
		copy.cookies.putAll(kept);
		assertThat(copy.get("/api/owner/workspace").status()).isEqualTo(401);
	}

	// ───────────────────────────── helpers ─────────────────────────────

	/** A user of the Supabase project: in auth.users (the shim; its workspace made by the trigger) and in Supabase Auth. */
	private static FakeGoTrue.User user(boolean confirmed) {
		UUID id = UUID.randomUUID();
		String email = "supa-" + id + "@example.test";
		jdbc().sql("INSERT INTO auth.users (id, email) VALUES (:id, :email)").param("id", id).param("email", email).update();
		FakeGoTrue.User user = new FakeGoTrue.User(id, email, "supabase password " + id, confirmed);
		goTrue.users.put(email, user);
		return user;
	}

	private static UUID workspaceOf(FakeGoTrue.User user) {
		return jdbc().sql("SELECT id FROM workspaces WHERE owner_id = :id").param("id", user.id()).query(UUID.class)
			.single();
	}

	private static BrowserClient browser() {
		int port = Integer.parseInt(clara.getEnvironment().getProperty("local.server.port"));
		int n = ADDRESSES.incrementAndGet();
		return new BrowserClient(port, "198.18." + (n / 250) + "." + (n % 250 + 1));
	}

	private static JdbcClient jdbc() {
		return clara.getBean(JdbcClient.class);
	}

}
