package dev.clara.chat.ratelimit;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;

import dev.clara.chat.ChatApiApplication;
import dev.clara.chat.ChatApiDatabase;
import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.Workspaces;
import dev.clara.shared.embedding.EmbeddingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workspace ids are public (they are in the embed snippet), so one client must not be able to
 * spend a workspace's budget for its other visitors. Client addresses come through a trusted
 * proxy's {@code X-Forwarded-For}, so one test can speak for many addresses.
 */
class RateLimitFairnessIntegrationTests {

	static final long WINDOW_MS = 600_000;

	static ConfigurableApplicationContext app;

	static ChatApiHttp http;

	static Workspaces workspaces;

	@BeforeAll
	static void start() {
		app = new SpringApplicationBuilder(ChatApiApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + ChatApiDatabase.get().jdbcUrl(), "--spring.datasource.username=postgres",
				"--clara.openai.api-key=", "--clara.chat.trusted-proxies=127.0.0.1",
				"--clara.chat.rate-limit.window=" + WINDOW_MS + "ms", "--clara.chat.rate-limit.per-ip=5",
				"--clara.chat.rate-limit.per-network=12", "--clara.chat.rate-limit.per-session=1000",
				"--clara.chat.rate-limit.per-workspace=20", "--clara.chat.rate-limit.reads-per-ip=10");
		http = new ChatApiHttp(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
		workspaces = new Workspaces(app.getBean(JdbcClient.class), app.getBean(EmbeddingProvider.class));
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	/** The requests of one test fall in one window: none starts in a window's last 10 s. */
	@BeforeEach
	void notAtTheEndOfAWindow() {
		await().atMost(Duration.ofSeconds(15)).until(() -> System.currentTimeMillis() % WINDOW_MS < WINDOW_MS - 10_000);
	}

	@Test
	void oneAbusiveAddressDoesNotSwitchOffAWorkspaceForEveryoneElse() {
		UUID workspace = workspaces.create();
		int accepted = 0;
		for (int i = 0; i < 40; i++) {
			Reply reply = chatFrom("198.51.100.7", workspace);
			if (reply.status() == 200) {
				accepted++;
			}
			else {
				assertThat(reply.status()).isEqualTo(429);
				assertThat(reply.json().get("detail").asString()).contains("this address")
					.doesNotContain("this workspace");
			}
		}
		assertThat(accepted).isEqualTo(5);
		assertThat(chatFrom("192.0.2.10", workspace).status()).as("another visitor of the site").isEqualTo(200);
		assertThat(workspaceHits(workspace)).as("only the turns no other budget refused").isEqualTo(6);
	}

	@Test
	void anIpv6SlashSixtyFourIsOneClientAndASlashFortyEightOneNetwork() {
		UUID workspace = workspaces.create();
		int accepted = 0;
		for (int i = 1; i <= 10; i++) {
			// a new interface id each time, as any IPv6 host can choose
			if (chatFrom("2001:db8:1:2::" + Integer.toHexString(i), workspace).status() == 200) {
				accepted++;
			}
		}
		assertThat(accepted).as("ten addresses of one /64 share one client budget").isEqualTo(5);
		assertThat(chatFrom("2001:db8:1:3::1", workspace).status()).as("another /64").isEqualTo(200);
		// the /48 has seen 11 turns; its budget (12) caps how many /64s one party can spend it from
		int fromTheNetwork = 0;
		for (int subnet = 4; subnet < 12; subnet++) {
			if (chatFrom("2001:db8:1:" + subnet + "::1", workspace).status() == 200) {
				fromTheNetwork++;
			}
		}
		assertThat(fromTheNetwork).isEqualTo(1);
		assertThat(chatFrom("2001:db8:2::1", workspace).status()).as("another /48").isEqualTo(200);
		assertThat(chatFrom("::ffff:192.0.2.77", workspace).status()).as("an IPv4-mapped address is IPv4").isEqualTo(200);
	}

	@Test
	void publicReadsHaveABudgetPerClient() {
		UUID workspace = workspaces.create();
		for (int i = 0; i < 10; i++) {
			assertThat(settingsFrom("203.0.113.50", workspace).status()).isEqualTo(200);
		}
		Reply refused = settingsFrom("203.0.113.50", workspace);
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, (int) (WINDOW_MS / 1000));
		assertThat(settingsFrom("203.0.113.51", workspace).status()).isEqualTo(200);
		// the history and public asset endpoints draw on the same budget
		assertThat(http.send(from("203.0.113.50", "/storage/v1/object/public/chatbot-assets/" + workspace + "/avatar.png")
			.GET()
			.build()).status()).isEqualTo(429);
		assertThat(http.send(from("203.0.113.50", "/api/chat/messages?workspace_id=" + workspace)
			.header("X-Clara-Session-Token", ChatApiHttp.token())
			.GET()
			.build()).status()).isEqualTo(429);
	}

	@Test
	void ratingsHaveABudgetOfTheirOwnThatLeavesTheMessagesAlone() {
		UUID workspace = workspaces.create();
		String address = "203.0.113.41";
		String token = ChatApiHttp.token();
		Reply chat = http.send(from(address, "/api/chat").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(ChatApiHttp.body(workspace, token, UUID.randomUUID(), "Hi")))
			.build());
		String message = chat.json().get("message").get("message_id").asString();
		for (int i = 0; i < 5; i++) {
			assertThat(rateFrom(address, workspace, token, message, i % 2 == 0 ? "down" : "up").status()).isEqualTo(200);
		}
		Reply sixth = rateFrom(address, workspace, token, message, "down");
		assertThat(sixth.status()).isEqualTo(429);
		assertThat(sixth.header("Retry-After")).isNotNull();
		assertThat(sixth.json().get("detail").asString()).contains("Too many ratings from this address");
		assertThat(chatFrom(address, workspace).status()).as("the address's messages are its own budget").isEqualTo(200);
	}

	private static Reply rateFrom(String address, UUID workspace, String token, String message, String rating) {
		String body = "{\"workspace_id\":\"" + workspace + "\",\"session_token\":\"" + token + "\",\"message_id\":\""
				+ message + "\",\"rating\":\"" + rating + "\"}";
		return http.send(from(address, "/api/chat/feedback").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private static Reply chatFrom(String address, UUID workspace) {
		return http.send(from(address, "/api/chat").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString(ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "Do you ship abroad?")))
			.build());
	}

	private static Reply settingsFrom(String address, UUID workspace) {
		return http.send(from(address, "/api/widget/" + workspace + "/settings").GET().build());
	}

	private static HttpRequest.Builder from(String address, String path) {
		return HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).header("X-Forwarded-For", address);
	}

	private static long workspaceHits(UUID workspace) {
		return app.getBean(JdbcClient.class)
			.sql("SELECT coalesce(sum(hits), 0) FROM rate_limit_counters WHERE bucket = :bucket")
			.param("bucket", "workspace:" + workspace)
			.query(Long.class)
			.single();
	}

}
