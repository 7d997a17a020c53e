package dev.clara.chat.owner;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.clara.chat.ChatApiApplication;
import dev.clara.chat.ChatApiDatabase;
import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiTestConfiguration;
import dev.clara.chat.FakeOpenAiServer;
import dev.clara.chat.Workspaces;
import dev.clara.shared.crypto.EncryptedSecret;
import dev.clara.shared.crypto.LlmKeyCipher;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.SpendCapReached;
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
 * read from the recorded usage, so the cap holds on both the moment the recorded tokens reach it,
 * and reaching it is announced once ({@code SpendCapReached}) whichever replicas cross it.
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

	static final Schema SPEND_CAP_REACHED = schema("events/spend-cap-reached.v1.schema.json");

	static final EventCodec CODEC = new EventCodec();

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
				assertThat(month.get("cap_reached_at").isNull()).isTrue();
				assertThat(spendCapEvents(workspace)).isEmpty();
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
		// announced once, by the turn whose usage crossed the budget, though four more turns found it reached
		EventEnvelope<SpendCapReached> reached = spendCapEvents(workspace).get(0);
		assertThat(spendCapEvents(workspace)).hasSize(1);
		assertThat(reached.payload()).isEqualTo(new SpendCapReached(month.get("month").asString(), 300,
				3 * TOKENS_PER_COMPLETION, reached.payload().reachedAt()));
		assertThat(java.time.Instant.parse(month.get("cap_reached_at").asString())).isEqualTo(reached.payload().reachedAt());

		// the cap is a reading of the recorded tokens, not a latch: a higher budget lets the LLM answer again
		owner(first, owner, "PATCH", "/api/owner/workspace/settings", "{\"monthly_token_budget\": 1000}");
		assertThat(http(second).chat(workspace, session, QUESTION).json().get("message").get("content").asString())
			.isEqualTo("Our Pro plan costs 49 dollars a month.");
		assertThat(llm.completions()).isEqualTo(4);
		assertThat(spendCapEvents(workspace)).as("once per month, even when the budget is raised").hasSize(1);
		owner(first, owner, "PATCH", "/api/owner/workspace/settings", "{\"monthly_token_budget\": null}");
		assertThat(owner(first, owner, "GET", "/api/owner/usage", null).json().get("month").get("cap_reached")
			.asBoolean()).isFalse();
	}

	@Test
	void turnsCrossingTheBudgetTogetherOnBothInstancesAnnounceItOnce() throws Exception {
		Workspaces workspaces = new Workspaces(jdbc, first.getBean(EmbeddingProvider.class));
		UUID workspace = workspaces.create();
		workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-cap-8765");
		// a budget the first completion reaches: every turn of the burst may find it reached
		jdbc.sql("UPDATE workspaces SET settings = settings || '{\"monthly_token_budget\": 100}' WHERE id = :ws")
			.param("ws", workspace)
			.update();
		List<Future<Integer>> turns = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			for (int i = 0; i < 16; i++) {
				ConfigurableApplicationContext instance = i % 2 == 0 ? first : second;
				turns.add(pool.submit(() -> http(instance).chat(workspace, ChatApiHttp.token(), QUESTION).status()));
			}
			for (Future<Integer> turn : turns) {
				assertThat(turn.get()).isEqualTo(200);
			}
		}
		finally {
			pool.shutdownNow();
		}
		// and one more, after the burst has committed
		assertThat(http(second).chat(workspace, ChatApiHttp.token(), QUESTION).status()).isEqualTo(200);

		assertThat(spendCapEvents(workspace)).singleElement().satisfies(event -> {
			assertThat(event.payload().budget()).isEqualTo(100);
			assertThat(event.payload().tokens()).isGreaterThanOrEqualTo(100);
		});
		assertThat(jdbc.sql("SELECT count(*) FROM spend_cap_events WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(Long.class)
			.single()).isEqualTo(1);
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

	/** The workspace's SpendCapReached outbox rows, each valid against its JSON Schema. */
	static List<EventEnvelope<SpendCapReached>> spendCapEvents(UUID workspace) {
		return jdbc.sql("""
				SELECT aggregate_type, aggregate_id, payload::text AS payload FROM outbox_events
				WHERE workspace_id = :ws AND event_type = 'SpendCapReached' ORDER BY created_at
				""").param("ws", workspace).query((row, i) -> {
			String payload = row.getString("payload");
			assertThat(SPEND_CAP_REACHED.validate(payload, InputFormat.JSON)).as(payload).isEmpty();
			assertThat(row.getString("aggregate_type")).isEqualTo("workspace");
			assertThat(row.getString("aggregate_id")).isEqualTo(workspace.toString());
			return CODEC.fromJson(payload, SpendCapReached.class);
		}).list();
	}

	private static Schema schema(String resource) {
		try (InputStream in = SpendCapIntegrationTests.class.getClassLoader().getResourceAsStream(resource)) {
			return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
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
