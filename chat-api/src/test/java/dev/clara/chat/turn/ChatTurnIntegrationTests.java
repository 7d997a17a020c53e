package dev.clara.chat.turn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import dev.clara.chat.FakeOpenAiServer;
import dev.clara.shared.embedding.LocalEmbeddingProvider;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChatTurnIntegrationTests extends ChatApiIntegrationTest {

	@Test
	void paraphrasedQuestionGetsTheRightAnswerChipsAndConfidence() {
		UUID workspace = this.workspaces.create();
		List<UUID> pairs = this.workspaces.saasKnowledgeBase(workspace);

		Reply reply = this.http.chat(workspace, ChatApiHttp.token(), "What's the price of the pro plan?");

		assertThat(reply.status()).isEqualTo(200);
		JsonNode message = reply.json().get("message");
		assertThat(message.get("role").asString()).isEqualTo("assistant");
		assertThat(message.get("content").asString()).isEqualTo(
				"The Pro plan is $49 per month, billed monthly, or $490 per year.");
		assertThat(message.get("matched_qa_ids").get(0).asString()).isEqualTo(pairs.get(0).toString());
		assertThat(message.get("gap_detected").asBoolean()).isFalse();
		assertThat(message.get("confidence").asDouble()).isGreaterThan(0.6).isLessThanOrEqualTo(1.0);
		assertThat(message.get("suggestion_chips")).isNotEmpty();
		assertThat(message.get("suggestion_chips").toString()).doesNotContain("How much does the Pro plan cost?");
		assertThat(message.get("escalation_offered").asBoolean()).isFalse();
		assertThat(message.has("booking_url")).isFalse();
		assertThat(message.get("message_id").asString()).isNotBlank();
		assertThat(message.get("timestamp").asString()).isNotBlank();
		assertThat(reply.json().get("session_id").asString()).isNotBlank();
	}

	@Test
	void aWorkspaceStillSearchingWithThePreviousModelIsAnsweredWithThatModelAndItsThreshold() {
		UUID workspace = this.workspaces.create();
		String previous = "bge-small-en-v1.5-q";
		try (var bge = new dev.clara.shared.embedding.LocalEmbeddingProvider(previous)) {
			this.jdbc.sql("""
					INSERT INTO qa_pairs (workspace_id, question, answer, embedding, embedding_model, embedded_at)
					VALUES (:ws, 'Can I get a refund?', 'Refunds within 30 days.', CAST(:v AS extensions.vector), :m, now())
					""")
				.param("ws", workspace)
				.param("v", new com.pgvector.PGvector(bge.embed("Can I get a refund?")))
				.param("m", previous)
				.update();
		}
		this.jdbc.sql("UPDATE workspaces SET search_model = :m WHERE id = :ws").param("m", previous).param("ws", workspace).update();
		// bge-small is calibrated: a workspace without an answer model is sized as one phrasing per answer
		double bgeThreshold = this.jdbc.sql("""
				SELECT threshold FROM answer_calibrations
				WHERE embedding_model = :m AND path = 'similarity' AND phrasings_per_group = 1""")
			.param("m", previous)
			.query(Double.class)
			.single();

		Reply reply = this.http.chat(workspace, ChatApiHttp.token(), "can i have my money back?");

		assertThat(reply.json().get("message").get("content").asString()).isEqualTo("Refunds within 30 days.");
		String event = this.jdbc.sql("SELECT payload::text FROM outbox_events WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(String.class)
			.single();
		JsonNode payload = tools.jackson.databind.json.JsonMapper.builder().build().readTree(event).get("payload");
		assertThat(payload.get("embedding_model").asString()).isEqualTo(previous);
		assertThat(payload.get("threshold").asDouble()).isEqualTo(bgeThreshold);
	}

	@Test
	void questionFarFromEverythingIsAGapWithAnHonestAnswerAndTheBookingLink() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		this.workspaces.settings(workspace, "{\"booking_url\": \"https://cal.example.test/acme\"}");

		Reply reply = this.http.chat(workspace, ChatApiHttp.token(), "What is the capital of Mongolia?");

		assertThat(reply.status()).isEqualTo(200);
		JsonNode message = reply.json().get("message");
		assertThat(message.get("gap_detected").asBoolean()).isTrue();
		assertThat(message.get("content").asString()).contains("don't have that information")
			.contains("https://cal.example.test/acme");
		assertThat(message.get("booking_url").asString()).isEqualTo("https://cal.example.test/acme");
	}

	@Test
	void visitorAskingForAPersonIsOfferedTheBookingLinkAndTheSessionIsMarked() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		this.workspaces.settings(workspace, "{\"booking_url\": \"https://cal.example.test/acme\"}");
		String token = ChatApiHttp.token();

		Reply reply = this.http.chat(workspace, token, "Can I talk to a real person please?");

		JsonNode message = reply.json().get("message");
		assertThat(message.get("escalation_offered").asBoolean()).isTrue();
		assertThat(message.get("booking_url").asString()).isEqualTo("https://cal.example.test/acme");
		assertThat(this.jdbc.sql("SELECT escalated AND escalated_at IS NOT NULL FROM conversations"
				+ " WHERE workspace_id = :ws AND session_token = :token")
			.param("ws", workspace)
			.param("token", token)
			.query(Boolean.class)
			.single()).isTrue();
	}

	@Test
	void eachTurnStoresTwoMessagesAndExactlyOneQuestionAskedEvent() {
		UUID workspace = this.workspaces.create();
		List<UUID> pairs = this.workspaces.saasKnowledgeBase(workspace);
		String token = ChatApiHttp.token();

		Reply first = this.http.chat(workspace, token, "can i have my money back?");
		this.http.chat(workspace, token, "What is the capital of Mongolia?");

		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", workspace)).isEqualTo(4);
		List<JsonNode> events = this.jdbc
			.sql("SELECT payload::text FROM outbox_events WHERE workspace_id = :ws ORDER BY created_at")
			.param("ws", workspace)
			.query(String.class)
			.list()
			.stream()
			.map(text -> tools.jackson.databind.json.JsonMapper.builder().build().readTree(text))
			.toList();
		assertThat(events).hasSize(2);
		JsonNode event = events.get(0);
		assertThat(event.get("event_type").asString()).isEqualTo("QuestionAsked");
		assertThat(event.get("event_version").asInt()).isEqualTo(1);
		assertThat(event.get("workspace_id").asString()).isEqualTo(workspace.toString());
		JsonNode payload = event.get("payload");
		assertThat(payload.get("question").asString()).isEqualTo("can i have my money back?");
		assertThat(payload.get("answer").asString()).isEqualTo(first.json().get("message").get("content").asString());
		assertThat(payload.get("best_match_id").asString()).isEqualTo(pairs.get(1).toString());
		assertThat(payload.get("gap_detected").asBoolean()).isFalse();
		assertThat(payload.get("conversation_id").asString()).isEqualTo(first.json().get("session_id").asString());
		assertThat(events.get(1).get("payload").get("gap_detected").asBoolean()).isTrue();
		assertThat(events.get(1).get("payload").get("threshold").asDouble()).isPositive();
		// the gap carries the vector the turn searched with, so the gap detector need not embed it again
		assertThat(payload.get("question_embedding").isNull()).isTrue();
		JsonNode gap = events.get(1).get("payload");
		float[] expected;
		try (LocalEmbeddingProvider model = new LocalEmbeddingProvider(gap.get("embedding_model").asString())) {
			expected = model.embedAll(List.of("What is the capital of Mongolia?")).get(0);
		}
		JsonNode carried = gap.get("question_embedding");
		assertThat(carried.size()).isEqualTo(expected.length);
		for (int i = 0; i < expected.length; i++) {
			assertThat(carried.get(i).floatValue()).isCloseTo(expected[i], within(1e-6f));
		}
	}

	@Test
	void aTurnThatFailsToCommitLeavesNeitherMessagesNorEvent() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		// the outbox insert is the turn's last write; make it fail for this workspace only
		this.jdbc.sql("""
				CREATE OR REPLACE FUNCTION test_fail_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
				  IF NEW.workspace_id = '%s' THEN RAISE EXCEPTION 'outbox unavailable'; END IF;
				  RETURN NEW;
				END $$""".formatted(workspace)).update();
		this.jdbc.sql("CREATE TRIGGER test_fail_outbox BEFORE INSERT ON outbox_events FOR EACH ROW "
				+ "EXECUTE FUNCTION test_fail_outbox()").update();
		try {
			Reply reply = this.http.chat(workspace, ChatApiHttp.token(), "Can I get a refund?");

			assertThat(reply.status()).isEqualTo(500);
			assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
			assertThat(reply.body()).doesNotContain("outbox unavailable").doesNotContain("Exception");
			assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", workspace)).isZero();
			assertThat(count("SELECT count(*) FROM conversations WHERE workspace_id = :ws", workspace)).isZero();
			assertThat(count("SELECT count(*) FROM outbox_events WHERE workspace_id = :ws", workspace)).isZero();
		}
		finally {
			this.jdbc.sql("DROP TRIGGER test_fail_outbox ON outbox_events").update();
		}
	}

	@Test
	void fiveConcurrentRetriesOfOneMessageAreAnsweredOnce() throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-idempotent-1234");
		llm.delay(Duration.ofMillis(500));
		embeddingCalls().reset();
		String body = ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "How much is Pro?");

		List<Reply> replies = concurrently(5, () -> this.http.post("/api/chat", body));

		assertThat(replies).extracting(Reply::status).containsOnly(200);
		assertThat(replies).extracting(Reply::body).containsOnly(replies.get(0).body());
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", workspace)).isEqualTo(2);
		assertThat(count("SELECT count(*) FROM outbox_events WHERE workspace_id = :ws", workspace)).isEqualTo(1);
		assertThat(embeddingCalls().calls()).isEqualTo(1);
		assertThat(llm.completions()).isEqualTo(1);

		Reply later = this.http.post("/api/chat", body);
		assertThat(later.body()).isEqualTo(replies.get(0).body());
		assertThat(llm.completions()).isEqualTo(1);
	}

	@Test
	void sameMessageIdWithOtherContentIs422AndChangesNothing() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		String token = ChatApiHttp.token();
		UUID messageId = UUID.randomUUID();
		assertThat(this.http.post("/api/chat", ChatApiHttp.body(workspace, token, messageId, "Can I get a refund?"))
			.status()).isEqualTo(200);

		Reply conflict = this.http.post("/api/chat",
				ChatApiHttp.body(workspace, token, messageId, "Something else entirely"));

		assertThat(conflict.status()).isEqualTo(422);
		assertThat(conflict.header("Content-Type")).startsWith("application/problem+json");
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", workspace)).isEqualTo(2);
		assertThat(count("SELECT count(*) FROM outbox_events WHERE workspace_id = :ws", workspace)).isEqualTo(1);
	}

	@Test
	void theSameTokenInAnotherWorkspaceIsAnotherSession() {
		UUID first = this.workspaces.create();
		UUID second = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(first);
		String token = ChatApiHttp.token();

		Reply inFirst = this.http.chat(first, token, "Can I get a refund?");
		Reply inSecond = this.http.chat(second, token, "Can I get a refund?");

		assertThat(inSecond.json().get("session_id").asString())
			.isNotEqualTo(inFirst.json().get("session_id").asString());
		// the second workspace has no knowledge base: nothing of the first one's may leak into it
		assertThat(inSecond.json().get("message").get("matched_qa_ids")).isEmpty();
		assertThat(inSecond.json().get("message").get("gap_detected").asBoolean()).isTrue();
		JsonNode firstHistory = this.http.get("/api/chat/messages?workspace_id=" + first, token).json();
		JsonNode secondHistory = this.http.get("/api/chat/messages?workspace_id=" + second, token).json();
		assertThat(firstHistory.get("messages")).hasSize(2);
		assertThat(secondHistory.get("messages")).hasSize(2);
		assertThat(secondHistory.get("messages").get(1).get("content").asString())
			.doesNotContain("refund any payment");
	}

	@Test
	void theSessionsMessagesAreReturnedToTheTokenHolderOnly() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		String token = ChatApiHttp.token();
		this.http.chat(workspace, token, "Can I get a refund?");
		this.http.chat(workspace, token, "Is there a free trial?");

		Reply history = this.http.get("/api/chat/messages?workspace_id=" + workspace, token);
		Reply stranger = this.http.get("/api/chat/messages?workspace_id=" + workspace, ChatApiHttp.token());
		Reply noToken = this.http.get("/api/chat/messages?workspace_id=" + workspace, null);

		assertThat(history.status()).isEqualTo(200);
		assertThat(history.json().get("messages")).extracting(node -> node.get("role").asString())
			.containsExactly("user", "assistant", "user", "assistant");
		assertThat(history.json().get("messages").get(0).get("content").asString()).isEqualTo("Can I get a refund?");
		assertThat(stranger.json().get("messages")).isEmpty();
		assertThat(noToken.status()).isEqualTo(400);
	}

	@Test
	void theLlmGetsThePersonalityPromptTheMatchedAnswersAndTheDecryptedKey() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		this.workspaces.settings(workspace, "{\"personality_prompt\": \"You are Ada, the helper of Acme Analytics.\"}");
		addWorkspaceKey(workspace, "sk-test-llm-path-9876");
		String token = ChatApiHttp.token();

		Reply reply = this.http.chat(workspace, token, "What's the price of the pro plan?");
		this.http.chat(workspace, token, "And per year?");

		assertThat(reply.json().get("message").get("content").asString())
			.isEqualTo("Our Pro plan costs 49 dollars a month.");
		assertThat(llm.received()).hasSize(2);
		FakeOpenAiServer.Received first = llm.received().get(0);
		assertThat(first.authorization()).isEqualTo("Bearer sk-test-llm-path-9876");
		assertThat(first.body()).contains("You are Ada, the helper of Acme Analytics.")
			.contains("The Pro plan is $49 per month")
			.contains("What's the price of the pro plan?")
			.contains("\"model\":\"gpt-4o-mini\"");
		// the follow-up carries the conversation so far
		assertThat(llm.received().get(1).body()).contains("What's the price of the pro plan?")
			.contains("Our Pro plan costs 49 dollars a month.")
			.contains("And per year?");
		JsonNode metadata = tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readTree(this.jdbc
				.sql("SELECT metadata::text FROM messages WHERE workspace_id = :ws AND role = 'assistant'"
						+ " ORDER BY created_at LIMIT 1")
				.param("ws", workspace)
				.query(String.class)
				.single());
		assertThat(metadata.get("model").asString()).isEqualTo("gpt-4o-mini");
		assertThat(metadata.get("tokens_used").asLong()).isEqualTo(135);
		assertThat(metadata.get("latency_ms").asLong()).isNotNegative();
		assertThat(count("SELECT count(*) FROM api_usage WHERE workspace_id = :ws AND total_tokens = 135", workspace))
			.isEqualTo(2);
		assertThat(this.jdbc.sql("SELECT encrypted_key FROM api_keys WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(String.class)
			.single()).doesNotContain("sk-test").matches("[0-9a-f]+:[0-9a-f]+:[0-9a-f]+");
	}

	@Test
	void aFailingProviderFallsBackToTheExtractiveAnswer() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-failing-1111");
		llm.failWith(500);

		Reply reply = this.http.chat(workspace, ChatApiHttp.token(), "can i have my money back?");

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.json().get("message").get("content").asString())
			.isEqualTo("Yes: we refund any payment within 30 days, no questions asked.");
		assertThat(llm.completions()).isEqualTo(1);
	}

	@Test
	void aProviderTimeOutFallsBackToTheExtractiveAnswer() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-slow-2222");
		llm.delay(Duration.ofSeconds(6));

		Reply reply = this.http.chat(workspace, ChatApiHttp.token(), "can i have my money back?");

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.json().get("message").get("content").asString())
			.isEqualTo("Yes: we refund any payment within 30 days, no questions asked.");
	}

	@Test
	void twentySlowTurnsAtOnceDoNotExhaustTheConnectionPool() throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-slow-pool-3333");
		llm.delay(Duration.ofSeconds(2));
		ExecutorService pool = Executors.newFixedThreadPool(20);
		try {
			List<Future<Reply>> turns = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				turns.add(pool.submit(() -> this.http.chat(workspace, ChatApiHttp.token(), "How much is Pro?")));
			}
			// while the twenty wait for the LLM, the database must still serve everyone else
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> llm.completions() >= 10);
			Reply health = this.http.get("/actuator/health", null);
			UUID other = this.workspaces.create();
			Reply otherTurn = this.http.chat(other, ChatApiHttp.token(), "Hello?");
			long unfinished = turns.stream().filter(turn -> !turn.isDone()).count();

			assertThat(health.status()).isEqualTo(200);
			assertThat(health.body()).contains("\"UP\"");
			assertThat(otherTurn.status()).isEqualTo(200);
			assertThat(unfinished).as("turns still waiting for the LLM while others were served").isPositive();
			for (Future<Reply> turn : turns) {
				assertThat(turn.get().status()).isEqualTo(200);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(n);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				futures.add(pool.submit(call));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}

}
