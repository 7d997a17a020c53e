package dev.clara.chat.owner.identity;

import java.util.UUID;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.SignedInVisitors;
import dev.clara.chat.owner.OwnerIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.clara.chat.SignedInVisitors.hmac;
import static dev.clara.chat.SignedInVisitors.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signed-in visitor's own history through the public API: their conversations from every
 * session (device) in one list, each readable with its session token and their identity, and
 * erasure of one or all of them with what the owner's figures keep of their words.
 */
class VisitorHistoryIntegrationTests extends OwnerIntegrationTest {

	private SignedInVisitors visitors;

	private Owner owner;

	private String secret;

	@BeforeEach
	void workspace() {
		this.visitors = new SignedInVisitors(this.http);
		this.owner = owner();
		this.workspaces.saasKnowledgeBase(this.owner.workspaceId());
		this.secret = post(this.owner.token(), "/api/owner/workspace/identity-secrets", "").json().get("secret").asString();
	}

	@Test
	void twoDevicesShowOneHistory() {
		String laptop = ChatApiHttp.token();
		String phone = ChatApiHttp.token();
		chat(laptop, "u-1", "Can I get a refund?");
		chat(phone, "u-1", "How much does the Pro plan cost?");
		chat(ChatApiHttp.token(), "u-2", "Someone else's question");

		Reply list = conversations("u-1");
		Reply onPhoneReadingLaptop = this.visitors.send("GET", "/api/chat/messages?workspace_id=" + ws(), laptop, "u-1",
				hmac(this.secret, "u-1"));

		assertThat(list.status()).isEqualTo(200);
		assertThat(list.json().get("conversations")).hasSize(2);
		assertThat(list.json().get("conversations").get(0).get("session_token").asString()).isEqualTo(phone);
		assertThat(list.json().get("conversations").get(0).get("first_question").asString())
			.isEqualTo("How much does the Pro plan cost?");
		assertThat(list.json().get("conversations").get(1).get("message_count").asLong()).isEqualTo(2);
		assertThat(onPhoneReadingLaptop.json().get("messages").get(0).get("content").asString())
			.isEqualTo("Can I get a refund?");
		assertThat(this.visitors.send("GET", "/api/chat/conversations?workspace_id=" + ws(), null, "u-1",
				hmac(this.secret, "u-2")).status()).isEqualTo(403);
		assertThat(this.http.get("/api/chat/conversations?workspace_id=" + ws(), null).status()).isEqualTo(403);
	}

	@Test
	void erasingOneConversationLeavesTheOthersAndErasingAllStartsFresh() {
		String first = ChatApiHttp.token();
		String second = ChatApiHttp.token();
		chat(first, "u-1", "Do you ship to Mars?");
		chat(second, "u-1", "Can I get a refund?");
		assertThat(count("SELECT count(*) FROM qa_gaps WHERE workspace_id = :ws", this.owner.workspaceId())).isZero();
		// the detector's gap for the first question (ask_count 1) is the visitor's words only
		UUID conversation = this.jdbc.sql("SELECT id FROM conversations WHERE session_token = :t")
			.param("t", first)
			.query(UUID.class)
			.single();
		this.jdbc.sql("INSERT INTO qa_gaps (workspace_id, question, session_id) VALUES (:ws, 'Do you ship to Mars?', :c)")
			.param("ws", this.owner.workspaceId())
			.param("c", conversation)
			.update();

		Reply eraseOne = this.visitors.send("DELETE", "/api/chat/conversations?workspace_id=" + ws(), first, "u-1",
				hmac(this.secret, "u-1"));
		Reply notMine = this.visitors.send("DELETE", "/api/chat/conversations?workspace_id=" + ws(), second, "u-2",
				hmac(this.secret, "u-2"));

		assertThat(eraseOne.status()).isEqualTo(204);
		assertThat(notMine.status()).isEqualTo(404);
		assertThat(conversations("u-1").json().get("conversations")).hasSize(1);
		assertThat(count("SELECT count(*) FROM qa_gaps WHERE workspace_id = :ws", this.owner.workspaceId())).isZero();
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", this.owner.workspaceId())).isEqualTo(2);

		Reply eraseAll = this.visitors.send("DELETE", "/api/chat/conversations?workspace_id=" + ws(), null, "u-1",
				hmac(this.secret, "u-1"));

		assertThat(eraseAll.status()).isEqualTo(204);
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", this.owner.workspaceId())).isZero();
		assertThat(count("SELECT count(*) FROM end_users WHERE workspace_id = :ws", this.owner.workspaceId())).isZero();
		assertThat(conversations("u-1").json().get("conversations")).isEmpty();
		chat(ChatApiHttp.token(), "u-1", "Can I get a refund?");
		assertThat(conversations("u-1").json().get("conversations")).hasSize(1);
	}

	private void chat(String token, String userId, String question) {
		Reply reply = this.visitors.chat(this.owner.workspaceId(), token, question, user(userId, hmac(this.secret, userId)));
		assertThat(reply.status()).isEqualTo(200);
	}

	private Reply conversations(String userId) {
		return this.visitors.send("GET", "/api/chat/conversations?workspace_id=" + ws(), null, userId,
				hmac(this.secret, userId));
	}

	private String ws() {
		return this.owner.workspaceId().toString();
	}

}
