package dev.clara.chat.turn;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import dev.clara.chat.FakeOpenAiServer.StreamBreak;
import dev.clara.chat.turn.EventStreamClient.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ChatStreamingIntegrationTests extends ChatApiIntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String REFUND = "Yes: we refund any payment within 30 days, no questions asked.";

	@Autowired
	private DataSource dataSource;

	private EventStreamClient sse;

	@BeforeEach
	void client() {
		this.sse = new EventStreamClient(this.http.baseUrl());
	}

	@Test
	void deltasArriveWhileTheLlmWritesThenTheReplyAsTheJsonPathReturnsIt() throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-stream-4444");
		llm.chunkDelay(Duration.ofMillis(250));
		String body = ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "How much is Pro?");

		List<Event> events;
		try (EventStreamClient.Response response = this.sse.post(body)) {
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.header("Content-Type")).startsWith("text/event-stream");
			events = response.readAll();
		}

		List<Long> chunksSent = llm.chunkSentAt();
		assertThat(chunksSent).hasSize(llm.chunks().size());
		assertThat(events).extracting(Event::name).last().isEqualTo("message");
		List<Event> deltas = events.subList(0, events.size() - 1);
		assertThat(deltas).extracting(Event::name).containsOnly("delta");
		assertThat(deltas).extracting(delta -> JSON.readTree(delta.data()).get("content").asString())
			.containsExactlyElementsOf(llm.chunks());
		// the first words reach the visitor while the provider is still writing the last ones
		assertThat(deltas.get(0).arrivedAt()).isLessThan(chunksSent.get(chunksSent.size() - 1));
		assertThat(events.get(events.size() - 1).arrivedAt()).isGreaterThan(chunksSent.get(chunksSent.size() - 1));

		JsonNode reply = JSON.readTree(events.get(events.size() - 1).data());
		assertThat(reply.get("message").get("content").asString()).isEqualTo("Our Pro plan costs 49 dollars a month.");
		Reply json = this.http.post("/api/chat", body);
		assertThat(events.get(events.size() - 1).data()).isEqualTo(json.body());
		assertThat(llm.received()).hasSize(1);
		assertThat(llm.received().get(0).body()).contains("\"stream\":true").contains("\"include_usage\":true");
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", workspace)).isEqualTo(2);
		assertThat(count("SELECT count(*) FROM outbox_events WHERE workspace_id = :ws", workspace)).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM api_usage WHERE workspace_id = :ws AND prompt_tokens = 120"
				+ " AND completion_tokens = 15 AND total_tokens = 135", workspace)).isEqualTo(1);
	}

	@Test
	void anExtractiveAnswerIsOneDeltaAndTheReply() throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);

		List<Event> events;
		try (EventStreamClient.Response response = this.sse
			.post(ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "can i have my money back?"))) {
			events = response.readAll();
		}

		assertThat(events).extracting(Event::name).containsExactly("delta", "message");
		assertThat(JSON.readTree(events.get(0).data()).get("content").asString()).isEqualTo(REFUND);
		assertThat(JSON.readTree(events.get(1).data()).get("message").get("content").asString()).isEqualTo(REFUND);
		assertThat(llm.completions()).isZero();
	}

	@Test
	void aRetriedMessageIdReplaysTheStoredReplyAsAStream() throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-stream-replay-5555");
		String body = ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "How much is Pro?");
		List<Event> first;
		try (EventStreamClient.Response response = this.sse.post(body)) {
			first = response.readAll();
		}

		List<Event> retry;
		try (EventStreamClient.Response response = this.sse.post(body)) {
			retry = response.readAll();
		}

		assertThat(first).hasSizeGreaterThan(2);
		assertThat(retry).extracting(Event::name).containsExactly("delta", "message");
		assertThat(JSON.readTree(retry.get(0).data()).get("content").asString())
			.isEqualTo("Our Pro plan costs 49 dollars a month.");
		assertThat(retry.get(1).data()).isEqualTo(first.get(first.size() - 1).data());
		assertThat(llm.completions()).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", workspace)).isEqualTo(2);
		assertThat(count("SELECT count(*) FROM outbox_events WHERE workspace_id = :ws", workspace)).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM api_usage WHERE workspace_id = :ws", workspace)).isEqualTo(1);
	}

	@Test
	void aVisitorWhoLeavesMidStreamStillLeavesOneCompleteStoredTurn() throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-stream-leave-6666");
		llm.chunkDelay(Duration.ofMillis(300));
		String token = ChatApiHttp.token();

		int chunksSentWhenLeft;
		try (EventStreamClient.Response response = this.sse
			.post(ChatApiHttp.body(workspace, token, UUID.randomUUID(), "How much is Pro?"))) {
			assertThat(response.next().name()).isEqualTo("delta");
			chunksSentWhenLeft = llm.chunkSentAt().size();
		}

		assertThat(chunksSentWhenLeft).isLessThan(llm.chunks().size());
		await().atMost(Duration.ofSeconds(15))
			.until(() -> count("SELECT count(*) FROM outbox_events WHERE workspace_id = :ws", workspace) == 1);
		assertThat(this.jdbc.sql("SELECT content FROM messages WHERE workspace_id = :ws AND role = 'assistant'")
			.param("ws", workspace)
			.query(String.class)
			.single()).isEqualTo("Our Pro plan costs 49 dollars a month.");
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", workspace)).isEqualTo(2);
		assertThat(count("SELECT count(*) FROM api_usage WHERE workspace_id = :ws AND total_tokens = 135", workspace))
			.isEqualTo(1);
		assertThat(llm.chunkSentAt()).hasSize(llm.chunks().size());
	}

	@ParameterizedTest
	@EnumSource(StreamBreak.class)
	void aProviderFailingMidStreamEndsWithTheExtractiveAnswerWhichIsStored(StreamBreak how) throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-stream-break-7777");
		llm.breakStreamAfter(3, how);

		List<Event> events;
		try (EventStreamClient.Response response = this.sse
			.post(ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "can i have my money back?"))) {
			events = response.readAll();
		}

		assertThat(events).extracting(Event::name).containsExactly("delta", "delta", "delta", "message");
		assertThat(JSON.readTree(events.get(3).data()).get("message").get("content").asString()).isEqualTo(REFUND);
		assertThat(this.jdbc.sql("SELECT content FROM messages WHERE workspace_id = :ws AND role = 'assistant'")
			.param("ws", workspace)
			.query(String.class)
			.single()).isEqualTo(REFUND);
		assertThat(count("SELECT count(*) FROM outbox_events WHERE workspace_id = :ws", workspace)).isEqualTo(1);
		// no LLM answer was used, so no LLM usage is billed to the workspace
		assertThat(count("SELECT count(*) FROM api_usage WHERE workspace_id = :ws", workspace)).isZero();
	}

	@Test
	void aStreamOutlastingTheCompletionTimeOutEndsWithTheExtractiveAnswer() throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-stream-slow-9999");
		// eleven chunks 400 ms apart: past the tests' completion time-out of 3 s
		llm.answer("Yes you can have your money back within thirty days of paying us.");
		llm.chunkDelay(Duration.ofMillis(400));

		List<Event> events;
		try (EventStreamClient.Response response = this.sse
			.post(ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "can i have my money back?"))) {
			events = response.readAll();
		}

		assertThat(events).extracting(Event::name).contains("delta").last().isEqualTo("message");
		assertThat(JSON.readTree(events.get(events.size() - 1).data()).get("message").get("content").asString())
			.isEqualTo(REFUND);
		assertThat(count("SELECT count(*) FROM api_usage WHERE workspace_id = :ws", workspace)).isZero();
	}

	@Test
	void aRetryWhileTheFirstStreamIsWrittenWaitsForItsReply() throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-stream-follow-1212");
		llm.chunkDelay(Duration.ofMillis(250));
		String body = ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "How much is Pro?");

		try (EventStreamClient.Response first = this.sse.post(body)) {
			assertThat(first.next().name()).isEqualTo("delta");
			List<Event> retry;
			try (EventStreamClient.Response second = this.sse.post(body)) {
				retry = second.readAll();
			}
			List<Event> rest = first.readAll();

			assertThat(retry).extracting(Event::name).containsExactly("delta", "message");
			assertThat(retry.get(1).data()).isEqualTo(rest.get(rest.size() - 1).data());
		}
		assertThat(llm.completions()).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", workspace)).isEqualTo(2);
	}

	@Test
	void anInvalidRequestIsAProblemNotAStream() throws Exception {
		UUID workspace = this.workspaces.create();

		try (EventStreamClient.Response response = this.sse
			.post(ChatApiHttp.body(workspace, "short", UUID.randomUUID(), "   "))) {
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.header("Content-Type")).startsWith("application/problem+json");
			JsonNode problem = JSON.readTree(response.body());
			assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
			assertThat(problem.get("errors")).hasSize(2);
		}
		assertThat(count("SELECT count(*) FROM conversations WHERE workspace_id = :ws", workspace)).isZero();
	}

	@Test
	void aReusedMessageIdIsA422ProblemNotAStream() throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		String token = ChatApiHttp.token();
		UUID messageId = UUID.randomUUID();
		assertThat(this.http.post("/api/chat", ChatApiHttp.body(workspace, token, messageId, "Can I get a refund?"))
			.status()).isEqualTo(200);

		try (EventStreamClient.Response response = this.sse
			.post(ChatApiHttp.body(workspace, token, messageId, "Something else"))) {
			assertThat(response.status()).isEqualTo(422);
			assertThat(response.header("Content-Type")).startsWith("application/problem+json");
			assertThat(response.body()).contains("Message id reused");
		}
	}

	@Test
	void noDatabaseConnectionIsHeldWhileTheLlmWrites() throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-stream-pool-8888");
		llm.chunkDelay(Duration.ofMillis(300));
		HikariDataSource pool = this.dataSource.unwrap(HikariDataSource.class);

		try (EventStreamClient.Response response = this.sse
			.post(ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "How much is Pro?"))) {
			assertThat(response.next().name()).isEqualTo("delta");

			await().atMost(Duration.ofSeconds(1))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 0);
			assertThat(llm.chunkSentAt().size()).as("chunks the provider had sent when the pool was idle")
				.isLessThan(llm.chunks().size());
			response.readAll();
		}
	}

}
