package dev.clara.chat.turn;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.clara.chat.answer.Citation;
import dev.clara.chat.answer.LlmClient.Turn;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Widget conversations and their messages. Every statement names the workspace, so the public
 * path cannot reach another tenant's rows even though it runs with the service's privileges.
 */
@Repository
class ConversationStore {

	/**
	 * The session's conversation as a new message finds it, in one statement: whose it is (the
	 * site's id of its user) and, when this message is stored already, its content and Clara's
	 * reply to it.
	 */
	private static final String SESSION = """
			SELECT c.id AS conversation_id, e.external_id, v.content AS visitor_content,
			       r.message_id, r.role, r.content, r.created_at, r.metadata::text AS metadata
			FROM conversations c
			LEFT JOIN end_users e ON e.id = c.end_user_id
			LEFT JOIN messages v ON v.conversation_id = c.id AND v.workspace_id = c.workspace_id
			                    AND v.message_id = :messageId
			LEFT JOIN messages r ON r.conversation_id = c.id AND r.workspace_id = c.workspace_id
			                    AND r.message_id = :replyId
			WHERE c.workspace_id = :workspaceId AND c.session_token = :token
			""";

	private static final String HISTORY = """
			SELECT m.role, m.content
			FROM conversations c
			JOIN messages m ON m.conversation_id = c.id AND m.workspace_id = c.workspace_id
			WHERE c.workspace_id = :workspaceId AND c.session_token = :token AND m.role IN ('user', 'assistant')
			ORDER BY m.created_at DESC, m.role DESC
			LIMIT :limit
			""";

	private static final String ALL_MESSAGES = """
			SELECT c.id AS conversation_id, m.message_id, m.role, m.content, m.created_at, m.metadata::text AS metadata
			FROM conversations c
			JOIN messages m ON m.conversation_id = c.id AND m.workspace_id = c.workspace_id
			WHERE c.workspace_id = :workspaceId AND c.session_token = :token AND m.role IN ('user', 'assistant')
			ORDER BY m.created_at, m.role DESC
			LIMIT :limit
			""";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	ConversationStore(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** A message stored under a conversation, with the conversation's id. */
	record StoredMessage(UUID conversationId, ChatMessage message) {
	}

	/**
	 * What {@link #session} found.
	 * @param owner the site's id of the conversation's user, an empty string for an anonymous visitor's
	 * @param storedContent the message's content when it is stored, else null
	 * @param storedReply Clara's stored reply to it, else null
	 */
	record Session(String owner, String storedContent, StoredMessage storedReply) {

		/** Whether the message was stored already (with its reply: one statement writes both). */
		boolean stored() {
			return this.storedContent != null;
		}

	}

	/**
	 * The conversation of {@code token} as the message {@code messageId} finds it; empty when the
	 * session has none yet.
	 * @param replyId the id Clara's reply to that message has
	 */
	Optional<Session> session(UUID workspaceId, String token, UUID messageId, UUID replyId) {
		return this.jdbc.sql(SESSION)
			.param("workspaceId", workspaceId)
			.param("token", token)
			.param("messageId", messageId)
			.param("replyId", replyId)
			.query((row, i) -> {
				String owner = row.getString("external_id");
				return new Session(owner == null ? "" : owner, row.getString("visitor_content"),
						row.getObject("message_id") == null ? null : storedMessage(row, i));
			})
			.optional();
	}

	/** The last {@code limit} messages, oldest first, for the LLM to follow the conversation. */
	List<Turn> history(UUID workspaceId, String token, int limit) {
		List<Turn> turns = new ArrayList<>(this.jdbc.sql(HISTORY)
			.param("workspaceId", workspaceId)
			.param("token", token)
			.param("limit", limit)
			.query((row, i) -> new Turn(row.getString("role"), row.getString("content")))
			.list());
		Collections.reverse(turns);
		return turns;
	}

	List<StoredMessage> messages(UUID workspaceId, String token, int limit) {
		return this.jdbc.sql(ALL_MESSAGES)
			.param("workspaceId", workspaceId)
			.param("token", token)
			.param("limit", limit)
			.query(this::storedMessage)
			.list();
	}

	private static UUID uuid(JsonNode node) {
		return node.isString() ? UUID.fromString(node.asString()) : null;
	}

	private StoredMessage storedMessage(ResultSet row, int rowNum) throws SQLException {
		UUID messageId = row.getObject("message_id", UUID.class);
		Instant timestamp = row.getObject("created_at", OffsetDateTime.class).toInstant();
		String content = row.getString("content");
		ChatMessage message = "assistant".equals(row.getString("role"))
				? assistantMessage(messageId, content, timestamp, row.getString("metadata"))
				: ChatMessage.visitor(messageId, content, timestamp);
		return new StoredMessage(row.getObject("conversation_id", UUID.class), message);
	}

	/** Clara's message from its stored columns: what a replay reads and what the turn's write returns. */
	ChatMessage assistantMessage(UUID messageId, String content, Instant timestamp, String metadataJson) {
		JsonNode metadata = this.json.readTree(metadataJson);
		List<String> chips = new ArrayList<>();
		metadata.path("suggestion_chips").forEach(chip -> chips.add(chip.asString()));
		List<UUID> matched = new ArrayList<>();
		metadata.path("matched_qa_ids").forEach(id -> matched.add(UUID.fromString(id.asString())));
		boolean escalation = metadata.path("escalation_offered").asBoolean(false);
		// replies stored before citations existed have none
		List<Citation> citations = new ArrayList<>();
		metadata.path("citations")
			.forEach(cited -> citations.add(new Citation(uuid(cited.path("qa_id")), cited.path("title").asString(),
					cited.path("snippet").asString(), uuid(cited.path("document_id")), uuid(cited.path("chunk_id")),
					cited.path("passage").asString(null))));
		return new ChatMessage(messageId, "assistant", content, timestamp, chips,
				metadata.path("gap_detected").asBoolean(false), matched, metadata.path("confidence").asDouble(0),
				escalation, escalation ? metadata.path("booking_url").asString(null) : null, citations);
	}

}
