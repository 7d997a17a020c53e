package dev.clara.chat.identity;

import java.util.Optional;
import java.util.UUID;

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
			VALUES (:workspaceId, :externalId, :name, :email, COALESCE(CAST(:traits AS jsonb), '{}'::jsonb))
			ON CONFLICT (workspace_id, external_id) DO UPDATE
			SET name = COALESCE(EXCLUDED.name, end_users.name),
			    email = COALESCE(EXCLUDED.email, end_users.email),
			    traits = CASE WHEN CAST(:traits AS jsonb) IS NULL THEN end_users.traits ELSE EXCLUDED.traits END,
			    last_seen_at = now()
			RETURNING id
			""";

	private static final String CONVERSATION_USER = """
			SELECT e.external_id FROM conversations c LEFT JOIN end_users e ON e.id = c.end_user_id
			WHERE c.workspace_id = :workspaceId AND c.session_token = :token
			""";

	private final JdbcClient jdbc;

	EndUserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The end user's id, created on their first verified message; in the caller's transaction. */
	public UUID upsert(UUID workspaceId, VerifiedUser user) {
		return this.jdbc.sql(UPSERT)
			.param("workspaceId", workspaceId)
			.param("externalId", user.externalId())
			.param("name", user.name())
			.param("email", user.email())
			.param("traits", user.traitsJson())
			.query(UUID.class)
			.single();
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
