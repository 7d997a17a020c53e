package dev.clara.chat.owner;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A visitor's thumbs-up offers their phrasing to the owner ({@code POST /api/chat/feedback}), and
 * the owner lists, accepts and rejects it ({@code /api/owner/phrasing-suggestions}), against the
 * real server and database.
 */
class PhrasingSuggestionIntegrationTests extends OwnerIntegrationTest {

	private static final String QUESTION = "How much is the Pro plan?";

	private static final String ANSWER = "The Pro plan is 49 euros a month.";

	@Test
	void anUpInOtherWordsOffersThePhrasingOnceEvenWhenRatedAgain() {
		Owner owner = owner();
		UUID pair = pair(owner, QUESTION, ANSWER);
		Answered answered = answered(owner, "  what does   PRO cost? ", pair);

		assertThat(rate(owner, answered, "up").status()).isEqualTo(200);
		assertThat(rate(owner, answered, "down").status()).isEqualTo(200);
		assertThat(rate(owner, answered, "up").status()).isEqualTo(200);
		Answered again = answered(owner, "What does pro cost?", pair);
		assertThat(rate(owner, again, "up").status()).isEqualTo(200);

		Reply list = get(owner.token(), "/api/owner/phrasing-suggestions");
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.json().get("total").asLong()).isEqualTo(1);
		JsonNode suggestion = list.json().get("items").get(0);
		assertThat(suggestion.get("phrasing").asString()).isEqualTo("  what does   PRO cost? ");
		assertThat(suggestion.get("qa_pair_id").asString()).isEqualTo(pair.toString());
		assertThat(suggestion.get("status").asString()).isEqualTo("open");
		assertThat(suggestion.get("pair_answer").asString()).isEqualTo(ANSWER);
		assertThat(suggestion.get("source_message_id").asString()).isEqualTo(answered.message().toString());
	}

	@Test
	void theSamePhrasingOrADownOffersNothing() {
		Owner owner = owner();
		UUID pair = pair(owner, QUESTION, ANSWER);
		assertThat(rate(owner, answered(owner, "  how MUCH is the pro   plan? ", pair), "up").status()).isEqualTo(200);
		assertThat(rate(owner, answered(owner, "Is Pro expensive?", pair), "down").status()).isEqualTo(200);
		assertThat(suggestions(owner)).isEmpty();
		assertThat(get(owner.token(), "/api/owner/phrasing-suggestions").json().get("total").asLong()).isZero();
	}

	@Test
	void acceptingAddsAPairWithTheSameAnswerAndCategory() {
		Owner owner = owner();
		UUID pair = pair(owner, QUESTION, ANSWER);
		this.jdbc.sql("UPDATE qa_pairs SET category = 'pricing' WHERE id = :id").param("id", pair).update();
		assertThat(rate(owner, answered(owner, "What does Pro cost?", pair), "up").status()).isEqualTo(200);
		UUID suggestion = suggestions(owner).get(0);

		Reply accepted = post(owner.token(), "/api/owner/phrasing-suggestions/" + suggestion + "/accept", null);
		assertThat(accepted.status()).isEqualTo(201);
		assertThat(accepted.json().get("status").asString()).isEqualTo("accepted");
		UUID created = UUID.fromString(accepted.json().get("accepted_qa_id").asString());
		Map<String, Object> row = this.jdbc.sql("""
				SELECT question, answer, category, is_active, source, workspace_id FROM qa_pairs WHERE id = :id""")
			.param("id", created)
			.query()
			.singleRow();
		assertThat(row).containsEntry("question", "What does Pro cost?")
			.containsEntry("answer", ANSWER)
			.containsEntry("category", "pricing")
			.containsEntry("is_active", true)
			.containsEntry("source", "manual")
			.containsEntry("workspace_id", owner.workspaceId());
		assertThat(this.jdbc.sql("SELECT status FROM phrasing_suggestions WHERE id = :id")
			.param("id", suggestion)
			.query(String.class)
			.single()).isEqualTo("accepted");
		assertThat(get(owner.token(), "/api/owner/phrasing-suggestions").json().get("total").asLong()).isZero();
		assertThat(post(owner.token(), "/api/owner/phrasing-suggestions/" + suggestion + "/reject", null).status())
			.isEqualTo(409);
	}

	@Test
	void rejectingKeepsThePhrasingFromComingBack() {
		Owner owner = owner();
		UUID pair = pair(owner, QUESTION, ANSWER);
		assertThat(rate(owner, answered(owner, "What does Pro cost?", pair), "up").status()).isEqualTo(200);
		UUID suggestion = suggestions(owner).get(0);

		Reply rejected = post(owner.token(), "/api/owner/phrasing-suggestions/" + suggestion + "/reject", null);
		assertThat(rejected.status()).isEqualTo(200);
		assertThat(rejected.json().get("status").asString()).isEqualTo("rejected");
		assertThat(rejected.json().get("accepted_qa_id").isNull()).isTrue();
		assertThat(rate(owner, answered(owner, "what does pro cost?", pair), "up").status()).isEqualTo(200);
		assertThat(suggestions(owner)).containsExactly(suggestion);
		assertThat(get(owner.token(), "/api/owner/phrasing-suggestions").json().get("total").asLong()).isZero();
		assertThat(this.jdbc.sql("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws")
			.param("ws", owner.workspaceId())
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void anotherWorkspacesSuggestionIsNotFound() {
		Owner owner = owner();
		Owner other = owner();
		UUID pair = pair(owner, QUESTION, ANSWER);
		assertThat(rate(owner, answered(owner, "What does Pro cost?", pair), "up").status()).isEqualTo(200);
		UUID suggestion = suggestions(owner).get(0);

		assertThat(get(other.token(), "/api/owner/phrasing-suggestions").json().get("total").asLong()).isZero();
		for (String action : List.of("accept", "reject")) {
			Reply reply = post(other.token(), "/api/owner/phrasing-suggestions/" + suggestion + "/" + action, null);
			assertThat(reply.status()).isEqualTo(404);
			assertThat(reply.header("Content-Type")).contains("application/problem+json");
		}
		assertThat(post(owner.token(), "/api/owner/phrasing-suggestions/not-a-uuid/accept", null).status())
			.isEqualTo(404);
		assertThat(this.jdbc.sql("SELECT status FROM phrasing_suggestions WHERE id = :id")
			.param("id", suggestion)
			.query(String.class)
			.single()).isEqualTo("open");
		assertThat(this.jdbc.sql("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws")
			.param("ws", other.workspaceId())
			.query(Long.class)
			.single()).isZero();
	}

	/** An answer of a visitor's conversation to their question, from {@code pair}. */
	record Answered(String token, UUID message) {
	}

	private Answered answered(Owner owner, String question, UUID pair) {
		String token = "visitor-" + UUID.randomUUID() + "-0123456789";
		UUID conversation = this.jdbc
			.sql("INSERT INTO conversations (workspace_id, session_token) VALUES (:ws, :token) RETURNING id")
			.param("ws", owner.workspaceId())
			.param("token", token)
			.query(UUID.class)
			.single();
		this.jdbc.sql("""
				INSERT INTO messages (conversation_id, workspace_id, role, content, created_at)
				VALUES (:conversation, :ws, 'user', :question, now() - interval '1 second')""")
			.param("conversation", conversation)
			.param("ws", owner.workspaceId())
			.param("question", question)
			.update();
		UUID message = this.jdbc.sql("""
				INSERT INTO messages (conversation_id, workspace_id, role, content, metadata)
				VALUES (:conversation, :ws, 'assistant', :answer,
				        jsonb_build_object('matched_qa_ids', jsonb_build_array(CAST(:pair AS text)), 'confidence', 0.9))
				RETURNING message_id""")
			.param("conversation", conversation)
			.param("ws", owner.workspaceId())
			.param("answer", ANSWER)
			.param("pair", pair.toString())
			.query(UUID.class)
			.single();
		return new Answered(token, message);
	}

	private Reply rate(Owner owner, Answered answered, String rating) {
		return this.http.post("/api/chat/feedback", json("workspace_id", owner.workspaceId().toString(), "session_token",
				answered.token(), "message_id", answered.message().toString(), "rating", rating));
	}

	private List<UUID> suggestions(Owner owner) {
		return this.jdbc.sql("SELECT id FROM phrasing_suggestions WHERE workspace_id = :ws")
			.param("ws", owner.workspaceId())
			.query(UUID.class)
			.list();
	}

}
