package dev.clara.chat.ratelimit;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.ChatApiApplication;
import dev.clara.chat.ChatApiDatabase;
import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.Workspaces;
import dev.clara.shared.embedding.EmbeddingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two chat-api instances on one database, as two replicas behind a load balancer: the budgets
 * they enforce are one shared budget, not one each.
 */
class RateLimitIntegrationTests {

	/** Long enough for eight turns on a loaded 2-core machine. */
	static final long WINDOW_MS = 10_000;

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	static UUID workspace;

	@BeforeAll
	static void startTwoInstances() {
		first = start();
		second = start();
		workspace = new Workspaces(first.getBean(JdbcClient.class), first.getBean(EmbeddingProvider.class)).create();
	}

	@AfterAll
	static void stop() {
		second.close();
		first.close();
	}

	static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(ChatApiApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + ChatApiDatabase.get().jdbcUrl(), "--spring.datasource.username=postgres",
				"--clara.openai.api-key=", "--clara.chat.rate-limit.window=" + WINDOW_MS + "ms", "--clara.chat.rate-limit.per-session=3",
				"--clara.chat.rate-limit.per-ip=6", "--clara.chat.rate-limit.per-workspace=1000");
	}

	static ChatApiHttp http(ConfigurableApplicationContext context) {
		return new ChatApiHttp(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
	}

	@Test
	void theSessionBudgetIsSharedByBothInstancesAndComesBackAfterTheWindow() {
		String token = null;
		List<Reply> replies = null;
		// on a loaded machine the turns may straddle two windows: then try again in a fresh one
		for (int attempt = 0; attempt < 5 && replies == null; attempt++) {
			token = ChatApiHttp.token();
			awaitFreshWindow();
			long window = currentWindow();
			List<Reply> sent = List.of(http(first).chat(workspace, token, "hello 1"),
					http(second).chat(workspace, token, "hello 2"), http(first).chat(workspace, token, "hello 3"),
					http(second).chat(workspace, token, "hello 4"));
			if (currentWindow() == window) {
				replies = sent;
			}
		}
		assertThat(replies).as("four turns within one window").isNotNull();

		assertThat(replies.subList(0, 3)).extracting(Reply::status).containsOnly(200);
		Reply fourth = replies.get(3);
		assertThat(fourth.status()).isEqualTo(429);
		assertThat(fourth.header("Content-Type")).startsWith("application/problem+json");
		assertThat(Integer.parseInt(fourth.header("Retry-After"))).isBetween(1, (int) (WINDOW_MS / 1000));
		assertThat(fourth.json().get("detail").asString()).contains("this conversation");
		String sameToken = token;
		await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(500))
			.until(() -> http(second).chat(workspace, sameToken, "hello again").status() == 200);
	}

	@Test
	void aSpoofedForwardedForDoesNotResetTheAddressBudget() {
		int accepted = 0;
		int limited = 0;
		boolean oneWindow = false;
		for (int attempt = 0; attempt < 5 && !oneWindow; attempt++) {
			awaitFreshWindow();
			long window = currentWindow();
			accepted = 0;
			limited = 0;
			for (int i = 0; i < 8; i++) {
				ChatApiHttp http = http(i % 2 == 0 ? first : second);
				HttpRequest request = HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/chat"))
					.header("Content-Type", "application/json")
					.header("X-Forwarded-For", "203.0.113." + i)
					.POST(HttpRequest.BodyPublishers
						.ofString(ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "hi " + i)))
					.build();
				int status = http.send(request).status();
				if (status == 200) {
					accepted++;
				}
				else if (status == 429) {
					limited++;
				}
			}
			oneWindow = currentWindow() == window;
		}
		assertThat(oneWindow).as("eight turns within one window").isTrue();
		assertThat(accepted).isEqualTo(6);
		assertThat(limited).isEqualTo(2);
		// the spoofed addresses never became budgets of their own
		assertThat(first.getBean(JdbcClient.class)
			.sql("SELECT count(*) FROM rate_limit_counters WHERE bucket LIKE 'ip:203.0.113.%'")
			.query(Long.class)
			.single()).isZero();
	}

	private static long currentWindow() {
		return System.currentTimeMillis() / WINDOW_MS;
	}

	/** Waits for the start of a window. */
	private static void awaitFreshWindow() {
		await().atMost(Duration.ofMillis(WINDOW_MS + 2000)).pollInterval(Duration.ofMillis(50))
			.until(() -> System.currentTimeMillis() % WINDOW_MS < 500);
	}

}
