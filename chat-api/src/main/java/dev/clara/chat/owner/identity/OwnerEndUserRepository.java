package dev.clara.chat.owner.identity;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The owner's read of {@code end_users} and their conversations, inside {@code OwnerDb.as}. */
@Repository
class OwnerEndUserRepository {

	private static final String COLUMNS = """
			e.id, e.external_id, e.name, e.email, e.traits::text AS traits, e.first_seen_at, e.last_seen_at,
			(SELECT count(*) FROM conversations c WHERE c.end_user_id = e.id) AS conversation_count
			""";

	private static final String PAGE = "SELECT " + COLUMNS + """
			FROM end_users e
			WHERE CAST(:q AS text) IS NULL OR e.external_id ILIKE :q OR e.name ILIKE :q OR e.email ILIKE :q
			ORDER BY e.last_seen_at DESC, e.id LIMIT :limit OFFSET :offset
			""";

	private static final String COUNT = """
			SELECT count(*) FROM end_users e
			WHERE CAST(:q AS text) IS NULL OR e.external_id ILIKE :q OR e.name ILIKE :q OR e.email ILIKE :q
			""";

	private static final String ONE = "SELECT " + COLUMNS + " FROM end_users e WHERE e.id = :id";

	private static final String CONVERSATIONS = """
			SELECT c.id, c.created_at, c.updated_at, c.escalated,
			       (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count
			FROM conversations c WHERE c.end_user_id = :id ORDER BY c.updated_at DESC LIMIT 200
			""";

	private final JsonMapper json;

	private final RowMapper<EndUser> endUser;

	OwnerEndUserRepository(JsonMapper json) {
		this.json = json;
		this.endUser = (row, i) -> new EndUser(row.getObject("id", UUID.class), row.getString("external_id"),
				row.getString("name"), row.getString("email"), this.json.readTree(row.getString("traits")),
				row.getObject("first_seen_at", OffsetDateTime.class), row.getObject("last_seen_at", OffsetDateTime.class),
				row.getLong("conversation_count"));
	}

	record EndUser(UUID id, String externalId, String name, String email, JsonNode traits, OffsetDateTime firstSeenAt,
			OffsetDateTime lastSeenAt, long conversationCount) {
	}

	record Conversation(UUID id, OffsetDateTime createdAt, OffsetDateTime updatedAt, boolean escalated,
			long messageCount) {
	}

	List<EndUser> page(JdbcClient sql, String query, int limit, int offset) {
		return sql.sql(PAGE).param("q", like(query)).param("limit", limit).param("offset", offset).query(this.endUser).list();
	}

	long count(JdbcClient sql, String query) {
		return sql.sql(COUNT).param("q", like(query)).query(Long.class).single();
	}

	Optional<EndUser> one(JdbcClient sql, UUID id) {
		return sql.sql(ONE).param("id", id).query(this.endUser).optional();
	}

	List<Conversation> conversations(JdbcClient sql, UUID id) {
		return sql.sql(CONVERSATIONS)
			.param("id", id)
			.query((row, i) -> new Conversation(row.getObject("id", UUID.class),
					row.getObject("created_at", OffsetDateTime.class), row.getObject("updated_at", OffsetDateTime.class),
					row.getBoolean("escalated"), row.getLong("message_count")))
			.list();
	}

	/** {@code ILIKE} pattern for a search text, its wildcards taken literally; null for no search. */
	private static String like(String query) {
		if (query == null || query.isBlank()) {
			return null;
		}
		return "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
	}

}
