package dev.clara.chat.turn;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A turn reads its session's conversation once, at admission. A reply to the same message stored
 * after that read (by an attempt on another replica) is still the one the visitor gets: the turn's
 * write refuses, and the stored reply is returned; nothing is stored twice.
 */
class ChatStoredReplyIntegrationTests extends ChatApiIntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void aReplyStoredAfterTheAdmissionReadIsTheOneReturned() throws Exception {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-stored-reply-1234");
		llm.delay(Duration.ofSeconds(2));
		String token = ChatApiHttp.token();
		UUID messageId = UUID.randomUUID();
		String body = ChatApiHttp.body(workspace, token, messageId, "How much is Pro?");

		CompletableFuture<Reply> turn = CompletableFuture.supplyAsync(() -> this.http.post("/api/chat", body));
		// the turn is past its admission once it asks the LLM; the other replica stores the message now
		await().atMost(Duration.ofSeconds(10)).until(() -> llm.completions() == 1);
		UUID conversation = this.jdbc.sql("""
				INSERT INTO conversations (workspace_id, session_token) VALUES (:ws, :token) RETURNING id""")
			.param("ws", workspace)
			.param("token", token)
			.query(UUID.class)
			.single();
		this.jdbc.sql("""
				INSERT INTO messages (conversation_id, workspace_id, message_id, role, content)
				VALUES (:conversation, :ws, :visitor, 'user', 'How much is Pro?'),
				       (:conversation, :ws, :reply, 'assistant', 'Stored by the other replica.')""")
			.param("conversation", conversation)
			.param("ws", workspace)
			.param("visitor", messageId)
			.param("reply", ChatTurnService.assistantMessageIdOf(messageId))
			.update();

		Reply reply = turn.get(30, TimeUnit.SECONDS);

		assertThat(reply.status()).isEqualTo(200);
		JsonNode message = JSON.readTree(reply.body()).path("message");
		assertThat(message.path("content").asString()).isEqualTo("Stored by the other replica.");
		assertThat(message.path("message_id").asString()).isEqualTo(ChatTurnService.assistantMessageIdOf(messageId).toString());
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", workspace)).isEqualTo(2);
		assertThat(count("SELECT count(*) FROM outbox_events WHERE workspace_id = :ws", workspace)).isZero();
	}

}
