package dev.clara.chat.owner.identity;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.SignedInVisitors;
import dev.clara.chat.owner.OwnerIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signed-in visitors through the real chat API: a site's server signs its user id with the
 * workspace's identity secret (HMAC hex or HS256 JWT); only a matching signature links the
 * conversation to an end user, and a refusal stores nothing.
 */
class IdentityVerificationIntegrationTests extends OwnerIntegrationTest {

	private static final String SECRETS = "/api/owner/workspace/identity-secrets";

	@Test
	void aVerifiedUserBecomesAnEndUserAndOwnsTheConversation() {
		Owner owner = owner();
		this.workspaces.saasKnowledgeBase(owner.workspaceId());
		String secret = createSecret(owner);
		String token = ChatApiHttp.token();

		Reply first = chatAs(owner, token, "Can I get a refund?", user("u-42", hmac(secret, "u-42"), "Ann", "ann@example.com"));
		Reply second = chatAs(owner, token, "How much does the Pro plan cost?", user("u-42", hmac(secret, "u-42"), null, null));

		assertThat(first.status()).isEqualTo(200);
		assertThat(second.status()).isEqualTo(200);
		Reply users = get(owner.token(), "/api/owner/end-users");
		assertThat(users.json().get("total").asLong()).isEqualTo(1);
		var endUser = users.json().get("items").get(0);
		assertThat(endUser.get("external_id").asString()).isEqualTo("u-42");
		assertThat(endUser.get("name").asString()).isEqualTo("Ann");
		assertThat(endUser.get("email").asString()).isEqualTo("ann@example.com");
		assertThat(endUser.get("traits").get("plan").asString()).isEqualTo("pro");
		assertThat(endUser.get("conversation_count").asLong()).isEqualTo(1);
		Reply one = get(owner.token(), "/api/owner/end-users/" + endUser.get("id").asString());
		assertThat(one.json().get("conversations").get(0).get("message_count").asLong()).isEqualTo(4);
	}

	@Test
	void aForgedHashIsRefusedAndNothingIsStored() {
		Owner owner = owner();
		this.workspaces.saasKnowledgeBase(owner.workspaceId());
		String secret = createSecret(owner);

		Reply forged = chatAs(owner, ChatApiHttp.token(), "Can I get a refund?", user("u-1", hmac(secret, "u-2"), null, null));
		Reply wrongSecret = chatAs(owner, ChatApiHttp.token(), "Can I get a refund?",
				user("u-1", hmac(secret + "x", "u-1"), null, null));
		Reply notHex = chatAs(owner, ChatApiHttp.token(), "Can I get a refund?", user("u-1", "zz", null, null));

		assertThat(forged.status()).isEqualTo(403);
		assertThat(forged.header("Content-Type")).contains("application/problem+json");
		assertThat(wrongSecret.status()).isEqualTo(403);
		assertThat(notHex.status()).isEqualTo(400);
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", owner.workspaceId())).isZero();
		assertThat(count("SELECT count(*) FROM end_users WHERE workspace_id = :ws", owner.workspaceId())).isZero();
	}

	@Test
	void anotherWorkspacesValidHashIsRefusedHere() {
		Owner here = owner();
		Owner there = owner();
		this.workspaces.saasKnowledgeBase(here.workspaceId());
		createSecret(here);
		String theirs = createSecret(there);

		Reply reply = chatAs(here, ChatApiHttp.token(), "Can I get a refund?", user("u-9", hmac(theirs, "u-9"), null, null));

		assertThat(reply.status()).isEqualTo(403);
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", here.workspaceId())).isZero();
	}

	@Test
	void rotationKeepsTheOldSecretForItsGracePeriodAndRevocationEndsItAtOnce() {
		Owner owner = owner();
		this.workspaces.saasKnowledgeBase(owner.workspaceId());
		Reply created = post(owner.token(), SECRETS, "");
		String old = created.json().get("secret").asString();
		String oldId = created.json().get("id").asString();

		Reply rotated = post(owner.token(), SECRETS + "/" + oldId + "/rotate", json("grace_hours", 2));
		String fresh = rotated.json().get("secret").asString();

		assertThat(rotated.status()).isEqualTo(201);
		assertThat(chatAs(owner, ChatApiHttp.token(), "Can I get a refund?", user("u-1", hmac(old, "u-1"), null, null)).status())
			.isEqualTo(200);
		assertThat(chatAs(owner, ChatApiHttp.token(), "Can I get a refund?", user("u-1", hmac(fresh, "u-1"), null, null)).status())
			.isEqualTo(200);
		Reply list = get(owner.token(), SECRETS);
		assertThat(list.body()).doesNotContain(old).doesNotContain(fresh).contains("\"retiring\"").contains("\"active\"");

		assertThat(post(owner.token(), SECRETS + "/" + oldId + "/revoke", "").status()).isEqualTo(200);
		assertThat(chatAs(owner, ChatApiHttp.token(), "Can I get a refund?", user("u-1", hmac(old, "u-1"), null, null)).status())
			.isEqualTo(403);
		assertThat(post(there().token(), SECRETS + "/" + oldId + "/revoke", "").status()).isEqualTo(404);
	}

	@Test
	void aWorkspaceThatRequiresIdentityRefusesAnonymousChatAndMayRequireTheTokenForm() {
		Owner owner = owner();
		this.workspaces.saasKnowledgeBase(owner.workspaceId());
		String secret = createSecret(owner);
		assertThat(patch(owner.token(), "/api/owner/workspace/settings", json("require_verified_user", true)).status())
			.isEqualTo(200);

		Reply anonymous = this.http.chat(owner.workspaceId(), ChatApiHttp.token(), "Can I get a refund?");
		Reply verified = chatAs(owner, ChatApiHttp.token(), "Can I get a refund?", user("u-1", hmac(secret, "u-1"), null, null));
		assertThat(anonymous.status()).isEqualTo(403);
		assertThat(verified.status()).isEqualTo(200);

		patch(owner.token(), "/api/owner/workspace/settings", json("require_user_token", true));
		Reply hashOnly = chatAs(owner, ChatApiHttp.token(), "Can I get a refund?", user("u-1", hmac(secret, "u-1"), null, null));
		ObjectNode tokenUser = JSON.createObjectNode().put("token", jwt(secret, "u-1", Instant.now().plusSeconds(600)));
		tokenUser.putObject("traits").put("plan", "team");
		Reply withToken = chatAs(owner, ChatApiHttp.token(), "Can I get a refund?", tokenUser);
		assertThat(hashOnly.status()).isEqualTo(403);
		assertThat(withToken.status()).isEqualTo(200);
	}

	@Test
	void theTokenFormNeedsAValidSignatureAnExpiryAndAShortLife() {
		Owner owner = owner();
		this.workspaces.saasKnowledgeBase(owner.workspaceId());
		String secret = createSecret(owner);

		Reply valid = chatAs(owner, ChatApiHttp.token(), "Can I get a refund?", tokenUser(jwt(secret, "u-7", Instant.now().plusSeconds(300))));
		Reply expired = chatAs(owner, ChatApiHttp.token(), "Can I get a refund?",
				tokenUser(jwt(secret, "u-7", Instant.now().minusSeconds(3600))));
		Reply longLived = chatAs(owner, ChatApiHttp.token(), "Can I get a refund?",
				tokenUser(jwt(secret, "u-7", Instant.now().plusSeconds(7 * 24 * 3600))));
		Reply otherKey = chatAs(owner, ChatApiHttp.token(), "Can I get a refund?",
				tokenUser(jwt(secret.replace('a', 'b').replace('c', 'd') + "zz", "u-7", Instant.now().plusSeconds(300))));

		assertThat(valid.status()).isEqualTo(200);
		assertThat(expired.status()).isEqualTo(403);
		assertThat(longLived.status()).isEqualTo(403);
		assertThat(otherKey.status()).isEqualTo(403);
		assertThat(count("SELECT count(*) FROM end_users WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(2);
	}

	@Test
	void aUsersConversationIsNotOpenToAnyoneElseWithItsSessionToken() {
		Owner owner = owner();
		this.workspaces.saasKnowledgeBase(owner.workspaceId());
		String secret = createSecret(owner);
		String token = ChatApiHttp.token();
		assertThat(chatAs(owner, token, "Can I get a refund?", user("u-1", hmac(secret, "u-1"), null, null)).status())
			.isEqualTo(200);

		Reply anonymous = this.http.chat(owner.workspaceId(), token, "How much does the Pro plan cost?");
		Reply otherUser = chatAs(owner, token, "How much does the Pro plan cost?", user("u-2", hmac(secret, "u-2"), null, null));
		Reply anonymousHistory = this.http.get("/api/chat/messages?workspace_id=" + owner.workspaceId(), token);
		Reply ownHistory = this.http.send(HttpRequest
			.newBuilder(URI.create(this.http.baseUrl() + "/api/chat/messages?workspace_id=" + owner.workspaceId()))
			.header("X-Clara-Session-Token", token)
			.header("X-Clara-User", "u-1")
			.header("X-Clara-User-Hash", hmac(secret, "u-1"))
			.GET()
			.build());

		assertThat(anonymous.status()).isEqualTo(403);
		assertThat(otherUser.status()).isEqualTo(403);
		assertThat(anonymousHistory.status()).isEqualTo(403);
		assertThat(ownHistory.status()).isEqualTo(200);
		assertThat(ownHistory.json().get("messages").size()).isEqualTo(2);
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(2);
	}

	@Test
	void erasingAnEndUserRemovesTheirMessagesAndTheNextQuestionStartsFresh() {
		Owner owner = owner();
		this.workspaces.saasKnowledgeBase(owner.workspaceId());
		String secret = createSecret(owner);
		chatAs(owner, ChatApiHttp.token(), "Can I get a refund?", user("u-5", hmac(secret, "u-5"), "Bo", null));
		String id = get(owner.token(), "/api/owner/end-users").json().get("items").get(0).get("id").asString();

		assertThat(delete(there().token(), "/api/owner/end-users/" + id).status()).isEqualTo(404);
		assertThat(delete(owner.token(), "/api/owner/end-users/" + id).status()).isEqualTo(204);

		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", owner.workspaceId())).isZero();
		assertThat(count("SELECT count(*) FROM conversations WHERE workspace_id = :ws", owner.workspaceId())).isZero();
		assertThat(chatAs(owner, ChatApiHttp.token(), "Can I get a refund?", user("u-5", hmac(secret, "u-5"), null, null)).status())
			.isEqualTo(200);
		assertThat(get(owner.token(), "/api/owner/end-users").json().get("items").get(0).get("name").isNull()).isTrue();
	}

	@Test
	void anOwnerCannotReadBackASecretAndTheDatabaseKeepsOnlyItsCiphertext() {
		Owner owner = owner();
		Reply created = post(owner.token(), SECRETS, "");
		String secret = created.json().get("secret").asString();

		assertThat(created.status()).isEqualTo(201);
		assertThat(secret).startsWith("clara_ids_").hasSizeGreaterThan(40);
		assertThat(get(owner.token(), SECRETS).body()).doesNotContain(secret);
		String stored = this.jdbc.sql("SELECT encrypted_secret FROM identity_secrets WHERE workspace_id = :ws")
			.param("ws", owner.workspaceId())
			.query(String.class)
			.single();
		assertThat(stored).doesNotContain(secret.substring("clara_ids_".length()));
		String ownerRead = this.ownerDb.as(owner.principal(), sql -> {
			try {
				sql.sql("SELECT encrypted_secret FROM identity_secrets").query(String.class).list();
				return "readable";
			}
			catch (RuntimeException ex) {
				return "refused";
			}
		});
		assertThat(ownerRead).isEqualTo("refused");
	}

	private Owner there() {
		return owner();
	}

	private String createSecret(Owner owner) {
		Reply created = post(owner.token(), SECRETS, "");
		assertThat(created.status()).isEqualTo(201);
		return created.json().get("secret").asString();
	}

	private Reply chatAs(Owner owner, String token, String content, ObjectNode user) {
		ObjectNode body = (ObjectNode) JSON.readTree(ChatApiHttp.body(owner.workspaceId(), token, UUID.randomUUID(), content));
		body.set("user", user);
		return this.http.post("/api/chat", body.toString());
	}

	private static ObjectNode user(String id, String hash, String name, String email) {
		ObjectNode user = JSON.createObjectNode().put("id", id).put("hash", hash);
		if (name != null) {
			user.put("name", name);
			user.putObject("traits").put("plan", "pro").put("seats", 5);
		}
		if (email != null) {
			user.put("email", email);
		}
		return user;
	}

	private static ObjectNode tokenUser(String jwt) {
		return JSON.createObjectNode().put("token", jwt);
	}

	private static String hmac(String secret, String userId) {
		return SignedInVisitors.hmac(secret, userId);
	}

	private static String jwt(String secret, String subject, Instant expires) {
		return SignedInVisitors.jwt(secret, subject, expires);
	}

}
