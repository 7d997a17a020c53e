package dev.clara.chat.owner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.ChatApiApplication;
import dev.clara.chat.ChatApiDatabase;
import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiTestConfiguration;
import dev.clara.chat.FakeOpenAiServer;
import dev.clara.chat.Workspaces;
import dev.clara.shared.crypto.EncryptedSecret;
import dev.clara.shared.crypto.LlmKeyCipher;
import dev.clara.shared.embedding.EmbeddingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two chat-api instances on one database, as two replicas: the monthly token budget is one budget
 * read from the recorded usage, so the cap holds on both the moment the recorded tokens reach it.
 */
class SpendCapIntegrationTests {

	/** What the fake LLM reports per completion. */
	static final int TOKENS_PER_COMPLETION = 135;

	static final String QUESTION = "What's the price of the pro plan?";

	static final String EXTRACTIVE = "The Pro plan is $49 per month, billed monthly, or $490 per year.";

	static FakeOpenAiServer llm;

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	static JdbcClient jdbc;

	@BeforeAll
	static void startTwoInstances() throws IOException {
		llm = new FakeOpenAiServer();
		first = start();
		second = start();
		jdbc = first.getBean(JdbcClient.class);
	}

	@AfterAll
	static void stop() {
		second.close();
		first.close();
		llm.close();
	}

	static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(ChatApiApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + ChatApiDatabase.get().jdbcUrl(), "--spring.datasource.username=postgres",
				"--clara.openai.api-key=", "--clara.openai.workspace-open-ai-url=" + llm.baseUrl(),
				"--clara.master-keys.keys=test-1:" + ChatApiTestConfiguration.MASTER_KEY,
				"--clara.master-keys.current=test-1", "--clara.chat.completion-timeout=3s",
				"--clara.chat.rate-limit.per-ip=100000", "--clara.chat.rate-limit.per-session=100000",
				"--clara.chat.rate-limit.per-workspace=100000", "--clara.chat.rate-limit.per-network=100000",
				"--clara.owner.jwt.secret=" + OwnerIntegrationTest.JWT_SECRET);
	}

	@Test
	void atTheBudgetEveryFollowingTurnOnEitherInstanceIsExtractiveAndTheOwnerSeesIt() {
		UUID user = UUID.randomUUID();
		String email = "cap-" + user + "@example.test";
		jdbc.sql("INSERT INTO auth.users (id, email) VALUES (:id, :email)").param("id", user).param("email", email).update();
		UUID workspace = jdbc.sql("SELECT id FROM workspaces WHERE owner_id = :owner")
			.param("owner", user)
			.query(UUID.class)
			.single();
		String owner = OwnerIntegrationTest.jwt(OwnerIntegrationTest.claims(user, email));
		new Workspaces(jdbc, first.getBean(EmbeddingProvider.class)).saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-cap-4321");

		JsonNode usage = owner(first, owner, "GET", "/api/owner/usage", null).json().get("month");
		assertThat(usage.get("tokens").asLong()).isZero();
		assertThat(usage.get("budget").isNull()).isTrue();
		assertThat(usage.get("cap_reached").asBoolean()).isFalse();

		// two completions fit below 300, the third crosses it
		Reply set = owner(second, owner, "PATCH", "/api/owner/workspace/settings", "{\"monthly_token_budget\": 300}");
		assertThat(set.status()).isEqualTo(200);
		assertThat(set.json().get("monthly_token_budget").asLong()).isEqualTo(300);

		List<String> answers = new ArrayList<>();
		List<Integer> completionsAfter = new ArrayList<>();
		String session = ChatApiHttp.token();
		for (int i = 0; i < 7; i++) {
			Reply reply = http(i % 2 == 0 ? first : second).chat(workspace, session, QUESTION);
			assertThat(reply.status()).isEqualTo(200);
			answers.add(reply.json().get("message").get("content").asString());
			completionsAfter.add(llm.completions());
			if (i == 0) {
				JsonNode month = owner(second, owner, "GET", "/api/owner/usage", null).json().get("month");
				assertThat(month.get("tokens").asLong()).isEqualTo(TOKENS_PER_COMPLETION);
				assertThat(month.get("cap_reached").asBoolean()).isFalse();
			}
		}

		assertThat(completionsAfter).containsExactly(1, 2, 3, 3, 3, 3, 3);
		assertThat(answers.subList(0, 3)).containsOnly("Our Pro plan costs 49 dollars a month.");
		// the visitor gets the knowledge base's answer and hears nothing about money
		assertThat(answers.subList(3, 7)).containsOnly(EXTRACTIVE);
		assertThat(jdbc.sql("SELECT count(*) FROM api_usage WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(Long.class)
			.single()).isEqualTo(3);

		JsonNode month = owner(first, owner, "GET", "/api/owner/usage", null).json().get("month");
		assertThat(month.get("tokens").asLong()).isEqualTo(3 * TOKENS_PER_COMPLETION);
		assertThat(month.get("budget").asLong()).isEqualTo(300);
		assertThat(month.get("cap_reached").asBoolean()).isTrue();
		assertThat(month.get("month").asString()).matches("\\d{4}-\\d{2}");

		// the cap is a reading of the recorded tokens, not a latch: a higher budget lets the LLM answer again
		owner(first, owner, "PATCH", "/api/owner/workspace/settings", "{\"monthly_token_budget\": 1000}");
		assertThat(http(second).chat(workspace, session, QUESTION).json().get("message").get("content").asString())
			.isEqualTo("Our Pro plan costs 49 dollars a month.");
		assertThat(llm.completions()).isEqualTo(4);
		owner(first, owner, "PATCH", "/api/owner/workspace/settings", "{\"monthly_token_budget\": null}");
		assertThat(owner(first, owner, "GET", "/api/owner/usage", null).json().get("month").get("cap_reached")
			.asBoolean()).isFalse();
	}

	@Test
	void theBudgetMustBeAPositiveWholeNumberOrNull() {
		UUID user = UUID.randomUUID();
		String email = "cap-" + user + "@example.test";
		jdbc.sql("INSERT INTO auth.users (id, email) VALUES (:id, :email)").param("id", user).param("email", email).update();
		String owner = OwnerIntegrationTest.jwt(OwnerIntegrationTest.claims(user, email));
		for (String bad : List.of("0", "-5", "1.5", "\"300\"", "true", "10000000000000")) {
			Reply reply = owner(first, owner, "PATCH", "/api/owner/workspace/settings",
					"{\"monthly_token_budget\": " + bad + "}");
			assertThat(reply.status()).as(bad).isEqualTo(400);
			assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
			assertThat(reply.body()).contains("monthly_token_budget");
		}
		assertThat(owner(first, owner, "PATCH", "/api/owner/workspace/settings", "{\"monthly_token_budget\": 1}")
			.status()).isEqualTo(200);
	}

	static ChatApiHttp http(ConfigurableApplicationContext context) {
		return new ChatApiHttp(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
	}

	static Reply owner(ConfigurableApplicationContext context, String token, String method, String path, String json) {
		ChatApiHttp http = http(context);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + token)
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		return http.send(request.build());
	}

	static void addWorkspaceKey(UUID workspace, String rawKey) {
		UUID id = UUID.randomUUID();
		EncryptedSecret secret = first.getBean(LlmKeyCipher.class).encrypt(rawKey, LlmKeyCipher.aad(workspace, id));
		jdbc.sql("""
				INSERT INTO api_keys (id, workspace_id, provider, model, key_id, encrypted_key, key_last4, is_default)
				VALUES (:id, :ws, 'openai', 'gpt-4o-mini', :keyId, :value, :last4, true)
				""")
			.param("id", id)
			.param("ws", workspace)
			.param("keyId", secret.keyId())
			.param("value", secret.value())
			.param("last4", rawKey.substring(rawKey.length() - 4))
			.update();
	}

}
