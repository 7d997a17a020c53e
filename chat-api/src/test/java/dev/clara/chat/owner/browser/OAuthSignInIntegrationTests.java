package dev.clara.chat.owner.browser;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.clara.chat.ChatApiApplication;
import dev.clara.chat.ChatApiDatabase;
import dev.clara.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * OpenID Connect sign-in against a real authorization server (Spring Authorization Server, the
 * {@code oidc-test-server} module, in a process of its own): the browser's whole code flow over
 * HTTP, redirects followed by hand, the provider's login form posted, ending signed in to Clara.
 */
class OAuthSignInIntegrationTests {

	private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	private static final String ADA = "ada-" + RUN + "@example.test";

	private static final String BOB = "bob-" + RUN + "@example.test";

	private static final String CAROL = "carol-" + RUN + "@example.test";

	private static ServiceProcess provider;

	private static ConfigurableApplicationContext clara;

	private static int providerPort;

	private static int claraPort;

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@BeforeAll
	static void servers() throws IOException {
		providerPort = freePort();
		claraPort = freePort();
		String issuer = "http://127.0.0.1:" + providerPort;
		String client = "--spring.security.oauth2.authorizationserver.client.clara.";
		provider = ServiceProcess.startJar(Path.of("..", "oidc-test-server", "target", "oidc-test-server-exec.jar"),
				"oidc-test-server",
				List.of("--server.port=" + providerPort, "--spring.security.oauth2.authorizationserver.issuer=" + issuer,
						client + "registration.client-id=clara", client + "registration.client-secret={noop}clara-secret",
						client + "registration.client-authentication-methods=client_secret_basic",
						client + "registration.authorization-grant-types=authorization_code",
						client + "registration.redirect-uris=http://127.0.0.1:" + claraPort + "/app/oauth/test/callback",
						client + "registration.scopes=openid,email,profile", client + "require-proof-key=true",
						client + "require-authorization-consent=false",
						"--oidc-test.users=ada|ada-pw|" + ADA + "|true;bob|bob-pw|" + BOB + "|false;carol|carol-pw|" + CAROL
								+ "|true"));
		await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
			assertThat(provider.isAlive()).as("the provider runs (see %s)", provider.log()).isTrue();
			return get(issuer + "/.well-known/openid-configuration", Map.of()).statusCode() == 200;
		});
		clara = new SpringApplicationBuilder(ChatApiApplication.class).run("--server.port=" + claraPort,
				"--spring.datasource.url=" + ChatApiDatabase.get().jdbcUrl(), "--spring.datasource.username=postgres",
				"--clara.openai.api-key=", "--clara.owner.jwt.secret=oauth-sign-in-test-jwt-secret-0123456789",
				"--clara.owner.bcrypt-strength=4", "--clara.chat.public-base-url=http://127.0.0.1:" + claraPort,
				"--clara.owner.oauth.oidc.id=test", "--clara.owner.oauth.oidc.name=Test provider",
				"--clara.owner.oauth.oidc.issuer=" + issuer, "--clara.owner.oauth.oidc.client-id=clara",
				"--clara.owner.oauth.oidc.client-secret=clara-secret");
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (clara != null) {
			clara.close();
		}
		if (provider != null) {
			provider.kill();
		}
	}

	@Test
	void theProvidersAreListed() throws Exception {
		JsonNode providers = json(get(clara("/app/api/oauth/providers"), Map.of())).get("providers");
		assertThat(providers).hasSize(1);
		assertThat(providers.get(0).get("id").asString()).isEqualTo("test");
		assertThat(providers.get(0).get("name").asString()).isEqualTo("Test provider");
		assertThat(providers.get(0).get("start_url").asString()).isEqualTo("/app/oauth/test/start");
	}

	@Test
	void aNewVerifiedIdentityGetsAnAccountAndWorkspaceAndIsSignedInAndLinkedOnce() throws Exception {
		Browser browser = new Browser();
		assertThat(browser.signIn("ada", "ada-pw")).isEqualTo("/app/");
		JsonNode session = json(browser.get(clara("/app/api/session")));
		assertThat(session.get("user").get("email").asString()).isEqualTo(ADA);
		assertThat(session.get("workspace").get("id").asString()).isNotBlank();
		UUID user = UUID.fromString(session.get("user").get("id").asString());
		assertThat(jdbc().sql("SELECT count(*) FROM owner_identities WHERE user_id = :u AND provider = 'test'")
			.param("u", user).query(Long.class).single()).isEqualTo(1);
		assertThat(browser.get(clara("/api/owner/workspace")).statusCode()).isEqualTo(200);

		// again, in another browser: the same account, no second link or account
		Browser again = new Browser();
		assertThat(again.signIn("ada", "ada-pw")).isEqualTo("/app/");
		assertThat(json(again.get(clara("/app/api/session"))).get("user").get("id").asString())
			.isEqualTo(user.toString());
		assertThat(jdbc().sql("SELECT count(*) FROM auth.users WHERE email = :e").param("e", ADA).query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void aVerifiedAddressOfAnExistingAccountLinksToIt() throws Exception {
		UUID existing = jdbc()
			.sql("INSERT INTO auth.users (email, encrypted_password, email_confirmed_at) VALUES (:e, :h, now()) RETURNING id")
			.param("e", CAROL)
			.param("h", new BCryptPasswordEncoder(4).encode("carol's clara password"))
			.query(UUID.class)
			.single();
		Browser browser = new Browser();
		assertThat(browser.signIn("carol", "carol-pw")).isEqualTo("/app/");
		assertThat(json(browser.get(clara("/app/api/session"))).get("user").get("id").asString())
			.isEqualTo(existing.toString());
	}

	@Test
	void anUnverifiedAddressIsNeverTrusted() throws Exception {
		Browser browser = new Browser();
		assertThat(browser.signIn("bob", "bob-pw")).isEqualTo("/app/?signin_error=no_account");
		assertThat(browser.get(clara("/app/api/session")).statusCode()).isEqualTo(401);
		assertThat(jdbc().sql("SELECT count(*) FROM auth.users WHERE email = :e").param("e", BOB).query(Long.class)
			.single()).isZero();
	}

	@Test
	void aCallbackWithAnotherStateOrWithoutTheStartCookieFailsAndADenialSaysSo() throws Exception {
		Browser browser = new Browser();
		HttpResponse<String> started = browser.get(clara("/app/oauth/test/start"));
		assertThat(started.statusCode()).isEqualTo(302);
		String state = query(started.headers().firstValue("Location").orElseThrow()).get("state");
		assertThat(state).isNotBlank();
		String cookie = started.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("clara_oauth="))
			.findFirst().orElseThrow();
		assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/app/oauth/");

		assertThat(location(browser.get(clara("/app/oauth/test/callback?code=x&state=not-" + state))))
			.isEqualTo("/app/?signin_error=failed");
		// the callback cleared the start cookie: even the right state fails now
		assertThat(location(new Browser().get(clara("/app/oauth/test/callback?code=x&state=" + state))))
			.isEqualTo("/app/?signin_error=failed");

		Browser denied = new Browser();
		String deniedState = query(denied.get(clara("/app/oauth/test/start")).headers().firstValue("Location")
			.orElseThrow()).get("state");
		assertThat(location(denied.get(clara("/app/oauth/test/callback?error=access_denied&state=" + deniedState))))
			.isEqualTo("/app/?signin_error=denied");
	}

	// ───────────────────────────── a browser ─────────────────────────────

	/** Cookies per server (host and port), redirects followed by hand, the provider's login form filled in. */
	private static final class Browser {

		private final Map<String, Map<String, String>> jars = new HashMap<>();

		/** Runs the whole flow; answers where Clara sent the browser in the end. */
		String signIn(String user, String password) throws Exception {
			HttpResponse<String> response = get(clara("/app/oauth/test/start"));
			for (int hop = 0; hop < 12; hop++) {
				if (response.statusCode() == 302) {
					String location = response.headers().firstValue("Location").orElseThrow();
					URI next = response.uri().resolve(location);
					if (next.getPort() == claraPort && next.getPath().equals("/app/")) {
						return location.replace("http://127.0.0.1:" + claraPort, "");
					}
					response = get(next.toString());
				}
				else if (response.statusCode() == 200 && response.body().contains("name=\"_csrf\"")) {
					Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(response.body());
					assertThat(csrf.find()).as("the login form's CSRF field").isTrue();
					response = post(response.uri().resolve("/login").toString(),
							Map.of("username", user, "password", password, "_csrf", csrf.group(1)));
				}
				else {
					throw new AssertionError("unexpected " + response.statusCode() + " at " + response.uri() + ": "
							+ response.body());
				}
			}
			throw new AssertionError("too many redirects");
		}

		HttpResponse<String> get(String url) throws Exception {
			// as a browser navigates: the provider sends a page (its login form) only to a browser
			return send(HttpRequest.newBuilder(URI.create(url))
				.header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
				.GET());
		}

		HttpResponse<String> post(String url, Map<String, String> form) throws Exception {
			return send(HttpRequest.newBuilder(URI.create(url))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(ProviderHttp.form(new LinkedHashMap<>(form)))));
		}

		private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
			HttpRequest probe = builder.copy().build();
			String server = probe.uri().getHost() + ":" + probe.uri().getPort();
			Map<String, String> jar = this.jars.computeIfAbsent(server, s -> new LinkedHashMap<>());
			if (!jar.isEmpty()) {
				builder.header("Cookie", String.join("; ", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
			}
			HttpResponse<String> response = HTTP.send(builder.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			for (String cookie : response.headers().allValues("Set-Cookie")) {
				String pair = cookie.split(";", 2)[0];
				String name = pair.substring(0, pair.indexOf('='));
				if (cookie.contains("Max-Age=0")) {
					jar.remove(name);
				}
				else {
					jar.put(name, pair.substring(pair.indexOf('=') + 1));
				}
			}
			return response;
		}

	}

	// ───────────────────────────── helpers ─────────────────────────────

	private static String clara(String path) {
		return "http://127.0.0.1:" + claraPort + path;
	}

	private static JdbcClient jdbc() {
		return clara.getBean(JdbcClient.class);
	}

	private static HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
		headers.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return OwnerJson.JSON.readTree(response.body());
	}

	private static String location(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(302);
		return response.headers().firstValue("Location").orElseThrow();
	}

	private static Map<String, String> query(String url) {
		Map<String, String> values = new HashMap<>();
		String query = URI.create(url).getRawQuery();
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			values.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
					java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		return values;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static {
		// fail early with a clear message when the provider was not built
		Path jar = Path.of("..", "oidc-test-server", "target", "oidc-test-server-exec.jar");
		if (!Files.exists(jar)) {
			throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build with -pl chat-api -am");
		}
	}

}
