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
				"--clara.openai.api-key=", "--clara.chat.rate-limit.window=4s", "--clara.chat.rate-limit.per-session=3",
				"--clara.chat.rate-limit.per-ip=6", "--clara.chat.rate-limit.per-workspace=1000");
	}

	static ChatApiHttp http(ConfigurableApplicationContext context) {
		return new ChatApiHttp(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
	}

	@Test
	void theSessionBudgetIsSharedByBothInstancesAndComesBackAfterTheWindow() {
		String token = ChatApiHttp.token();
		// start at the beginning of a window so that all four requests fall into the same one
		awaitFreshWindow();

		Reply one = http(first).chat(workspace, token, "hello 1");
		Reply two = http(second).chat(workspace, token, "hello 2");
		Reply three = http(first).chat(workspace, token, "hello 3");
		Reply four = http(second).chat(workspace, token, "hello 4");

		assertThat(one.status()).isEqualTo(200);
		assertThat(two.status()).isEqualTo(200);
		assertThat(three.status()).isEqualTo(200);
		assertThat(four.status()).isEqualTo(429);
		assertThat(four.header("Content-Type")).startsWith("application/problem+json");
		assertThat(Integer.parseInt(four.header("Retry-After"))).isBetween(1, 4);
		assertThat(four.json().get("detail").asString()).contains("this conversation");

		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
			.until(() -> http(second).chat(workspace, token, "hello again").status() == 200);
	}

	@Test
	void aSpoofedForwardedForDoesNotResetTheAddressBudget() {
		awaitFreshWindow();
		int accepted = 0;
		int limited = 0;
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
		assertThat(accepted).isEqualTo(6);
		assertThat(limited).isEqualTo(2);
	}

	/** Waits for a window that has at least three seconds left. */
	private static void awaitFreshWindow() {
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
			.until(() -> System.currentTimeMillis() % 4000 < 500);
	}

}
