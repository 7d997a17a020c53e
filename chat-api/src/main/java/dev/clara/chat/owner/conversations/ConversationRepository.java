package dev.clara.chat.owner.conversations;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workspace's conversations as the owner reads them. Every method runs inside
 * {@code OwnerDb.as}: row-level security leaves only the owner's workspace.
 */
@Repository
class ConversationRepository {

	private static final String COLUMNS = """
			c.id, c.title, c.visitor_name, c.visitor_email, c.escalated, c.escalated_at, c.is_archived,
			c.user_id IS NOT NULL AS signed_in_user, c.created_at, c.updated_at,
			(SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count,
			(SELECT max(m.created_at) FROM messages m WHERE m.conversation_id = c.id) AS last_message_at
			""";

	private static final String FILTER = "WHERE (CAST(:escalated AS boolean) IS NULL OR c.escalated = :escalated)";

	private static final String LIST = "SELECT " + COLUMNS + " FROM conversations c " + FILTER
			+ " ORDER BY c.updated_at DESC, c.id LIMIT :limit OFFSET :offset";

	private static final String COUNT = "SELECT count(*) FROM conversations c " + FILTER;

	private static final String ONE = "SELECT " + COLUMNS + " FROM conversations c WHERE c.id = :id";

	private static final String MESSAGES = """
			SELECT id, message_id, role, content, metadata::text AS metadata, created_at FROM messages
			WHERE conversation_id = :id ORDER BY created_at, id
			""";

	private final JsonMapper json;

	ConversationRepository(JsonMapper json) {
		this.json = json;
	}

	record Conversation(UUID id, String title, String visitorName, String visitorEmail, boolean escalated,
			OffsetDateTime escalatedAt, boolean isArchived, boolean signedInUser, long messageCount,
			OffsetDateTime lastMessageAt, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
	}

	record Message(UUID id, UUID messageId, String role, String content, JsonNode metadata, OffsetDateTime createdAt) {
	}

	private static final RowMapper<Conversation> ROW = (row, i) -> new Conversation(row.getObject("id", UUID.class),
			row.getString("title"), row.getString("visitor_name"), row.getString("visitor_email"),
			row.getBoolean("escalated"), row.getObject("escalated_at", OffsetDateTime.class),
			row.getBoolean("is_archived"), row.getBoolean("signed_in_user"), row.getLong("message_count"),
			row.getObject("last_message_at", OffsetDateTime.class), row.getObject("created_at", OffsetDateTime.class),
			row.getObject("updated_at", OffsetDateTime.class));

	/** Most recently active first; {@code escalated} null: all. */
	List<Conversation> list(JdbcClient sql, Boolean escalated, int limit, int offset) {
		return sql.sql(LIST)
			.param("escalated", escalated)
			.param("limit", limit)
			.param("offset", offset)
			.query(ROW)
			.list();
	}

	long count(JdbcClient sql, Boolean escalated) {
		return sql.sql(COUNT).param("escalated", escalated).query(Long.class).single();
	}

	Optional<Conversation> find(JdbcClient sql, UUID id) {
		return sql.sql(ONE).param("id", id).query(ROW).optional();
	}

	/** Oldest first. */
	List<Message> messages(JdbcClient sql, UUID conversationId) {
		return sql.sql(MESSAGES)
			.param("id", conversationId)
			.query((row, i) -> new Message(row.getObject("id", UUID.class), row.getObject("message_id", UUID.class),
					row.getString("role"), row.getString("content"), this.json.readTree(row.getString("metadata")),
					row.getObject("created_at", OffsetDateTime.class)))
			.list();
	}

}
