package dev.clara.chat.owner.auth;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The mailed single-use tokens of {@code owner_account_tokens} (V35): only their SHA-256 is
 * stored. Service rights: the caller has no identity yet.
 */
@Repository
class AccountTokenRepository {

	enum Purpose {

		CONFIRM("confirm"), RECOVER("recover");

		final String column;

		Purpose(String column) {
			this.column = column;
		}

	}

	private static final String INSERT = """
			INSERT INTO owner_account_tokens (user_id, purpose, token_hash, expires_at)
			VALUES (:user, :purpose, :hash, :expires)
			""";

	/** Uses the token up in the same statement that finds it: two requests cannot both use it. */
	private static final String CONSUME = """
			UPDATE owner_account_tokens SET used_at = now()
			WHERE token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > now()
			RETURNING user_id
			""";

	/**
	 * A new reset link makes the older ones of the account useless (only the newest reset mail
	 * counts); every confirmation link stays good until it expires (a resent one must not break the
	 * first). Tokens expired for a day go.
	 */
	private static final String FORGET_OLDER = """
			DELETE FROM owner_account_tokens
			WHERE (user_id = :user AND purpose = 'recover' AND :purpose = 'recover' AND used_at IS NULL)
			   OR expires_at < now() - interval '1 day'
			""";

	private final JdbcClient jdbc;

	AccountTokenRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(UUID userId, Purpose purpose, String tokenHash, Instant expiresAt) {
		this.jdbc.sql(FORGET_OLDER).param("user", userId).param("purpose", purpose.column).update();
		this.jdbc.sql(INSERT)
			.param("user", userId)
			.param("purpose", purpose.column)
			.param("hash", tokenHash)
			.param("expires", Timestamp.from(expiresAt))
			.update();
	}

	/** The token's account, once: the token is used up; empty when unknown, used or expired. */
	Optional<UUID> consume(Purpose purpose, String tokenHash) {
		return this.jdbc.sql(CONSUME)
			.param("hash", tokenHash)
			.param("purpose", purpose.column)
			.query(UUID.class)
			.optional();
	}

}
