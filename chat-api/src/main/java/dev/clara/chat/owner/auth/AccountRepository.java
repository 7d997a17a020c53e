package dev.clara.chat.owner.auth;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Standalone accounts ({@code auth.users}) and their refresh tokens. These statements run with the
 * service's rights: there is no identity yet. Creating the {@code auth.users} row makes the
 * database's sign-up trigger create the profile and the one workspace.
 */
@Repository
class AccountRepository {

	private static final String INSERT_USER = """
			INSERT INTO auth.users (email, encrypted_password, email_confirmed_at, raw_app_meta_data)
			VALUES (:email, :hash, CASE WHEN :confirmed THEN now() END, '{"provider": "email", "providers": ["email"]}'::jsonb)
			ON CONFLICT (email) DO NOTHING
			RETURNING id
			""";

	private static final String FIND_USER = """
			SELECT id, email, encrypted_password, email_confirmed_at IS NOT NULL AS confirmed FROM auth.users
			WHERE lower(email) = :email AND NOT is_anonymous
			""";

	private static final String FIND_USER_BY_ID = """
			SELECT id, email, encrypted_password, email_confirmed_at IS NOT NULL AS confirmed FROM auth.users
			WHERE id = :id AND NOT is_anonymous
			""";

	private static final String SET_PASSWORD = """
			UPDATE auth.users SET encrypted_password = :hash, updated_at = now() WHERE id = :id
			""";

	private static final String CONFIRM = """
			UPDATE auth.users SET email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now() WHERE id = :id
			""";

	private static final String REVOKE_USER_SESSIONS = """
			UPDATE owner_refresh_tokens SET revoked_at = now()
			WHERE user_id = :user AND revoked_at IS NULL AND session_id IS DISTINCT FROM :keep
			""";

	private static final String SESSION_REVOKED = """
			SELECT EXISTS (SELECT 1 FROM owner_refresh_tokens WHERE session_id = :session AND revoked_at IS NOT NULL)
			""";

	private static final String SIGNED_IN = "UPDATE auth.users SET last_sign_in_at = now() WHERE id = :id";

	private static final String DELETE_EXPIRED_REFRESH = "DELETE FROM owner_refresh_tokens WHERE user_id = :id AND expires_at < now()";

	private static final String INSERT_REFRESH = """
			INSERT INTO owner_refresh_tokens (session_id, user_id, token_hash, expires_at)
			VALUES (:session, :user, :hash, :expires)
			""";

	// a refresh token nobody holds (a random hash), already revoked: marks a session Clara did not
	// issue (Supabase Auth's) as signed out, so that OwnerAuthFilter refuses its access tokens
	private static final String REVOKED_MARKER = """
			INSERT INTO owner_refresh_tokens (session_id, user_id, token_hash, expires_at, used_at, revoked_at)
			SELECT :session, u.id, :hash, :expires, now(), now() FROM auth.users u WHERE u.id = :user
			""";

	private static final String LOCK_REFRESH = """
			SELECT r.id, r.session_id, r.user_id, u.email, r.used_at IS NOT NULL AS used, r.revoked_at IS NOT NULL AS revoked,
			       r.expires_at < now() AS expired, r.used_at > now() - make_interval(secs => :grace) AS used_within_grace
			FROM owner_refresh_tokens r JOIN auth.users u ON u.id = r.user_id
			WHERE r.token_hash = :hash
			FOR UPDATE OF r
			""";

	private static final String USE_REFRESH = "UPDATE owner_refresh_tokens SET used_at = now() WHERE id = :id";

	private static final String SESSION_OF_REFRESH = "SELECT session_id FROM owner_refresh_tokens WHERE token_hash = :hash";

	private static final String REVOKE_SESSION = """
			UPDATE owner_refresh_tokens SET revoked_at = now() WHERE session_id = :session AND revoked_at IS NULL
			""";

	private final JdbcClient jdbc;

	AccountRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** An account as stored; {@code hash} is its password hash, if any. */
	record StoredUser(UUID id, String email, String hash, boolean confirmed) {
	}

	/** A refresh token as stored, with its account's e-mail. */
	record StoredRefresh(UUID id, UUID sessionId, UUID userId, String email, boolean used, boolean revoked,
			boolean expired, boolean usedWithinGrace) {
	}

	/**
	 * The new account's id; empty when the e-mail address is taken.
	 *
	 * @param confirmed whether the address counts as confirmed already (no confirmation required)
	 */
	Optional<UUID> insertUser(String email, String passwordHash, boolean confirmed) {
		return this.jdbc.sql(INSERT_USER)
			.param("email", email)
			.param("hash", passwordHash)
			.param("confirmed", confirmed)
			.query(UUID.class)
			.optional();
	}

	/** @param email lower case */
	Optional<StoredUser> findUser(String email) {
		return this.jdbc.sql(FIND_USER).param("email", email).query((row, i) -> user(row)).optional();
	}

	Optional<StoredUser> findUser(UUID id) {
		return this.jdbc.sql(FIND_USER_BY_ID).param("id", id).query((row, i) -> user(row)).optional();
	}

	private static StoredUser user(java.sql.ResultSet row) throws java.sql.SQLException {
		return new StoredUser(row.getObject("id", UUID.class), row.getString("email"),
				row.getString("encrypted_password"), row.getBoolean("confirmed"));
	}

	void setPassword(UUID userId, String passwordHash) {
		this.jdbc.sql(SET_PASSWORD).param("id", userId).param("hash", passwordHash).update();
	}

	void confirm(UUID userId) {
		this.jdbc.sql(CONFIRM).param("id", userId).update();
	}

	/** Revokes every session of the account but {@code keep} (null: every one). */
	void revokeSessions(UUID userId, UUID keep) {
		this.jdbc.sql(REVOKE_USER_SESSIONS).param("user", userId).param("keep", keep, java.sql.Types.OTHER).update();
	}

	/** Whether the session was signed out (or revoked by a reset, a password change or a replay). */
	boolean sessionRevoked(UUID sessionId) {
		return this.jdbc.sql(SESSION_REVOKED).param("session", sessionId).query(Boolean.class).single();
	}

	/** Records the sign-in and forgets the user's expired refresh tokens. */
	void signedIn(UUID userId) {
		this.jdbc.sql(SIGNED_IN).param("id", userId).update();
		this.jdbc.sql(DELETE_EXPIRED_REFRESH).param("id", userId).update();
	}

	void insertRefresh(UUID sessionId, UUID userId, String tokenHash, Instant expiresAt) {
		this.jdbc.sql(INSERT_REFRESH)
			.param("session", sessionId)
			.param("user", userId)
			.param("hash", tokenHash)
			.param("expires", Timestamp.from(expiresAt))
			.update();
	}

	/**
	 * The refresh token, locked until the transaction ends.
	 *
	 * @param graceSeconds how recently a used token counts as {@code usedWithinGrace}
	 */
	Optional<StoredRefresh> lockRefresh(String tokenHash, double graceSeconds) {
		return this.jdbc.sql(LOCK_REFRESH)
			.param("hash", tokenHash)
			.param("grace", graceSeconds)
			.query((row, i) -> new StoredRefresh(row.getObject("id", UUID.class),
					row.getObject("session_id", UUID.class), row.getObject("user_id", UUID.class),
					row.getString("email"), row.getBoolean("used"), row.getBoolean("revoked"),
					row.getBoolean("expired"), row.getBoolean("used_within_grace")))
			.optional();
	}

	void markUsed(UUID refreshTokenId) {
		this.jdbc.sql(USE_REFRESH).param("id", refreshTokenId).update();
	}

	Optional<UUID> sessionOf(String tokenHash) {
		return this.jdbc.sql(SESSION_OF_REFRESH).param("hash", tokenHash).query(UUID.class).optional();
	}

	/** Records an outside session (Supabase Auth's) as signed out; nothing when the user is unknown. */
	void insertRevokedMarker(UUID sessionId, UUID userId, String randomHash, Instant expiresAt) {
		this.jdbc.sql(REVOKED_MARKER)
			.param("session", sessionId)
			.param("user", userId)
			.param("hash", randomHash)
			.param("expires", Timestamp.from(expiresAt))
			.update();
	}

	/** Revokes every refresh token of the session. */
	void revokeSession(UUID sessionId) {
		this.jdbc.sql(REVOKE_SESSION).param("session", sessionId).update();
	}

}
