package dev.clara.chat.identity;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code end_users} rows the chat API writes, and whose a widget conversation is. Every
 * statement names the workspace: the public path runs with the service's rights.
 */
@Repository
public class EndUserRepository {

	/** The profile follows the last verified message; fields it did not send stay as they were. */
	private static final String UPSERT = """
			INSERT INTO end_users (workspace_id, external_id, name, email, traits)
			VALUES (:workspaceId, :endUserExternalId, :endUserName, :endUserEmail,
			        COALESCE(CAST(:endUserTraits AS jsonb), '{}'::jsonb))
			ON CONFLICT (workspace_id, external_id) DO UPDATE
			SET name = COALESCE(EXCLUDED.name, end_users.name),
			    email = COALESCE(EXCLUDED.email, end_users.email),
			    traits = CASE WHEN CAST(:endUserTraits AS jsonb) IS NULL THEN end_users.traits ELSE EXCLUDED.traits END,
			    last_seen_at = now()
			RETURNING id
			""";

	private static final String CONVERSATION_USER = """
			SELECT e.external_id FROM conversations c LEFT JOIN end_users e ON e.id = c.end_user_id
			WHERE c.workspace_id = :workspaceId AND c.session_token = :token
			""";

	/** Ordered by the last message: a summary written later changes updated_at, not what the visitor did. */
	private static final String CONVERSATIONS = """
			SELECT c.session_token, c.created_at, last.at AS last_message_at, last.count AS message_count,
			       (SELECT m.content FROM messages m WHERE m.conversation_id = c.id AND m.role = 'user'
			        ORDER BY m.created_at LIMIT 1) AS first_question
			FROM end_users e
			JOIN conversations c ON c.end_user_id = e.id AND c.workspace_id = e.workspace_id
			CROSS JOIN LATERAL (SELECT max(m.created_at) AS at, count(*) AS count
			                    FROM messages m WHERE m.conversation_id = c.id) last
			WHERE e.workspace_id = :workspaceId AND e.external_id = :externalId AND c.session_token IS NOT NULL
			ORDER BY last.at DESC NULLS LAST, c.id
			LIMIT :limit
			""";

	/** The user's conversations, or the one of {@code token} when it is given. */
	private static final String ERASE = """
			SELECT public.erase_conversations(:workspaceId, ARRAY(
			  SELECT c.id FROM end_users e JOIN conversations c ON c.end_user_id = e.id AND c.workspace_id = e.workspace_id
			  WHERE e.workspace_id = :workspaceId AND e.external_id = :externalId
			    AND (CAST(:token AS text) IS NULL OR c.session_token = :token)))
			""";

	private static final String DELETE = "DELETE FROM end_users WHERE workspace_id = :workspaceId AND external_id = :externalId";

	private final JdbcClient jdbc;

	EndUserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The end user's id, created on their first verified message; in the caller's transaction. */
	public UUID upsert(UUID workspaceId, VerifiedUser user) {
		MapSqlParameterSource params = new MapSqlParameterSource();
		return this.jdbc.sql(upsertReturningId(params, workspaceId, user)).paramSource(params).query(UUID.class).single();
	}

	/**
	 * The same upsert, returning the user's {@code id}, for a statement that goes on with it (a chat
	 * turn written in one statement takes it as a {@code WITH} query); its parameters go to {@code params}.
	 */
	public String upsertReturningId(MapSqlParameterSource params, UUID workspaceId, VerifiedUser user) {
		params.addValue("workspaceId", workspaceId)
			.addValue("endUserExternalId", user.externalId())
			.addValue("endUserName", user.name())
			.addValue("endUserEmail", user.email())
			.addValue("endUserTraits", user.traitsJson());
		return UPSERT;
	}

	/** One of a user's conversations as their history lists it. */
	public record ConversationSummary(String sessionToken, String firstQuestion, OffsetDateTime startedAt,
			OffsetDateTime lastMessageAt, long messageCount) {
	}

	/** The user's conversations, most recently active first. */
	public List<ConversationSummary> conversationsOf(UUID workspaceId, String externalId, int limit) {
		return this.jdbc.sql(CONVERSATIONS)
			.param("workspaceId", workspaceId)
			.param("externalId", externalId)
			.param("limit", limit)
			.query((row, i) -> new ConversationSummary(row.getString("session_token"), row.getString("first_question"),
					row.getObject("created_at", OffsetDateTime.class),
					row.getObject("last_message_at", OffsetDateTime.class), row.getLong("message_count")))
			.list();
	}

	/**
	 * Erases the user's conversation of {@code token}, or all of them and the user's profile when
	 * {@code token} is null ({@code erase_conversations} says what goes with them); in the
	 * caller's transaction. Returns how many conversations were erased.
	 */
	public int erase(UUID workspaceId, String externalId, String token) {
		int erased = this.jdbc.sql(ERASE)
			.param("workspaceId", workspaceId)
			.param("externalId", externalId)
			.param("token", token)
			.query(Integer.class)
			.single();
		if (token == null) {
			this.jdbc.sql(DELETE).param("workspaceId", workspaceId).param("externalId", externalId).update();
		}
		return erased;
	}

	/**
	 * Whose the conversation of {@code token} is: empty when there is none yet, else the site's id
	 * of its user (an empty string for an anonymous visitor's conversation).
	 */
	Optional<String> conversationUser(UUID workspaceId, String token) {
		return this.jdbc.sql(CONVERSATION_USER)
			.param("workspaceId", workspaceId)
			.param("token", token)
			.query((row, i) -> {
				String externalId = row.getString("external_id");
				return externalId == null ? "" : externalId;
			})
			.optional();
	}

}
