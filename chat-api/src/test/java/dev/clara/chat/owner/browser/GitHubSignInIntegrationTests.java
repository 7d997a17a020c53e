package dev.clara.chat.owner.browser;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.clara.chat.ChatApiApplication;
import dev.clara.chat.ChatApiDatabase;
import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in with GitHub (plain OAuth 2 and its REST API, {@link FakeGitHub}): only a verified primary
 * address is used, and the linking rule's care for an account someone else made unconfirmed.
 */
class GitHubSignInIntegrationTests {

	private static final AtomicLong IDS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

	private static FakeGitHub github;

	private static ConfigurableApplicationContext clara;

	private static int port;

	@BeforeAll
	static void servers() throws IOException {
		github = new FakeGitHub("gh-client", "gh-secret");
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		clara = new SpringApplicationBuilder(ChatApiApplication.class).run("--server.port=" + port,
				"--clara.chat.public-base-url=http://127.0.0.1:" + port,
				"--spring.datasource.url=" + ChatApiDatabase.get().jdbcUrl(), "--spring.datasource.username=postgres",
				"--clara.openai.api-key=", "--clara.owner.jwt.secret=github-sign-in-test-jwt-secret-0123456789",
				"--clara.owner.bcrypt-strength=4", "--clara.chat.trusted-proxies=127.0.0.1",
				"--clara.owner.oauth.github.client-id=gh-client", "--clara.owner.oauth.github.client-secret=gh-secret",
				"--clara.owner.oauth.github.authorization-uri=" + github.url() + "/login/oauth/authorize",
				"--clara.owner.oauth.github.token-uri=" + github.url() + "/login/oauth/access_token",
				"--clara.owner.oauth.github.api-url=" + github.url() + "/api");
	}

	@AfterAll
	static void stop() {
		if (clara != null) {
			clara.close();
		}
		if (github != null) {
			github.close();
		}
	}

	@Test
	void aVerifiedPrimaryAddressSignsInAndTheGitHubIdStaysLinked() {
		String email = "gh-" + UUID.randomUUID() + "@example.test";
		FakeGitHub.Account account = new FakeGitHub.Account(IDS.incrementAndGet(), List.of(
				new FakeGitHub.Email("other-" + email, false, true), new FakeGitHub.Email(email, true, true)));
		BrowserClient browser = browser();
		assertThat(signIn(browser, account)).isEqualTo("/app/");
		Reply session = browser.get("/app/api/session");
		assertThat(session.status()).isEqualTo(200);
		assertThat(session.json().get("user").get("email").asString()).isEqualTo(email);

		// GitHub's address changed later (even to one without verification): the link, not the address, decides
		FakeGitHub.Account changed = new FakeGitHub.Account(account.id(),
				List.of(new FakeGitHub.Email("new-" + email, true, false)));
		BrowserClient again = browser();
		assertThat(signIn(again, changed)).isEqualTo("/app/");
		assertThat(again.get("/app/api/session").json().get("user").get("id").asString())
			.isEqualTo(session.json().get("user").get("id").asString());
	}

	@Test
	void anUnverifiedPrimaryAddressGetsNoAccountEvenWhenAnotherAddressIsVerified() {
		String email = "gh-" + UUID.randomUUID() + "@example.test";
		FakeGitHub.Account account = new FakeGitHub.Account(IDS.incrementAndGet(), List.of(
				new FakeGitHub.Email(email, true, false), new FakeGitHub.Email("second-" + email, false, true)));
		assertThat(signIn(browser(), account)).isEqualTo("/app/?signin_error=no_account");
		assertThat(jdbc().sql("SELECT count(*) FROM auth.users WHERE email IN (:a, :b)")
			.param("a", email).param("b", "second-" + email).query(Long.class).single()).isZero();
	}

	@Test
	void anUnconfirmedAccountOfTheAddressIsTakenOverItsPasswordNoLongerWorks() {
		String email = "gh-" + UUID.randomUUID() + "@example.test";
		UUID squatted = jdbc()
			.sql("INSERT INTO auth.users (email, encrypted_password) VALUES (:e, :h) RETURNING id")
			.param("e", email)
			.param("h", new BCryptPasswordEncoder(4).encode("the squatter's password"))
			.query(UUID.class)
			.single();
		FakeGitHub.Account account = new FakeGitHub.Account(IDS.incrementAndGet(),
				List.of(new FakeGitHub.Email(email, true, true)));
		BrowserClient browser = browser();
		assertThat(signIn(browser, account)).isEqualTo("/app/");
		assertThat(browser.get("/app/api/session").json().get("user").get("id").asString())
			.isEqualTo(squatted.toString());
		assertThat(browser().signIn(email, "the squatter's password").status()).isEqualTo(401);
		assertThat(jdbc().sql("SELECT email_confirmed_at IS NOT NULL FROM auth.users WHERE id = :id")
			.param("id", squatted).query(Boolean.class).single()).isTrue();
	}

	/** Clara's start, GitHub's authorize (which signs {@code account} in at once), Clara's callback. */
	private static String signIn(BrowserClient browser, FakeGitHub.Account account) {
		github.nextUser = account;
		Reply started = browser.get("/app/oauth/github/start");
		assertThat(started.status()).isEqualTo(302);
		String authorize = started.header("Location");
		assertThat(authorize).startsWith(github.url()).contains("code_challenge=").contains("state=");
		Reply atGitHub = new ChatApiHttpTo(authorize).get();
		assertThat(atGitHub.status()).isEqualTo(302);
		String callback = atGitHub.header("Location");
		assertThat(callback).startsWith("http://127.0.0.1:" + port + "/app/oauth/github/callback?")
			.as("the redirect URI is built from CLARA_PUBLIC_BASE_URL");
		Reply back = browser.get(callback.substring(("http://127.0.0.1:" + port).length()));
		assertThat(back.status()).isEqualTo(302);
		return back.header("Location");
	}

	private static BrowserClient browser() {
		return new BrowserClient(port, "192.0.2." + (IDS.incrementAndGet() % 250 + 1));
	}

	private static JdbcClient jdbc() {
		return clara.getBean(JdbcClient.class);
	}

	/** A GET to another server (GitHub's page), redirects not followed. */
	private record ChatApiHttpTo(String url) {

		Reply get() {
			java.net.URI uri = java.net.URI.create(this.url);
			return new dev.clara.chat.ChatApiHttp(uri.getPort())
				.send(java.net.http.HttpRequest.newBuilder(uri).GET().build());
		}

	}

}
