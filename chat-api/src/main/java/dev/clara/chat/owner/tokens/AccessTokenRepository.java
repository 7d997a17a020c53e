package dev.clara.chat.owner.tokens;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code access_tokens} table: the owner's keys, and the lookup that authenticates one. */
@Repository
class AccessTokenRepository {

	private static final String COLUMNS = "id, name, prefix, created_at, last_used_at, revoked_at";

	private static final String LIST = "SELECT " + COLUMNS + " FROM access_tokens ORDER BY created_at, id";

	private static final String INSERT = """
			INSERT INTO access_tokens (workspace_id, created_by, name, prefix, key_hash)
			VALUES (:workspaceId, :createdBy, :name, :prefix, :hash)
			RETURNING id, created_at
			""";

	private static final String REVOKE = "UPDATE access_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = :id";

	/**
	 * Runs with the service's rights: before this lookup there is no identity to run as. It reads
	 * one row by the secret's hash, and the token then acts as its workspace's owner.
	 */
	private static final String FIND_LIVE = """
			SELECT t.id, w.owner_id, u.email, t.last_used_at < now() - interval '1 minute' OR t.last_used_at IS NULL AS stale
			FROM access_tokens t
			JOIN workspaces w ON w.id = t.workspace_id
			JOIN auth.users u ON u.id = w.owner_id
			WHERE t.key_hash = :hash AND t.revoked_at IS NULL
			""";

	private static final String TOUCH = "UPDATE access_tokens SET last_used_at = now() WHERE id = :id";

	private final JdbcClient jdbc;

	AccessTokenRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A live token's row: whose workspace it acts for, and whether its last use is worth recording. */
	record Live(UUID id, UUID owner, String email, boolean stale) {
	}

	/** The id and creation time of a new key. */
	record Inserted(UUID id, OffsetDateTime createdAt) {
	}

	private static final RowMapper<AccessTokens.TokenView> VIEW = (row, i) -> new AccessTokens.TokenView(
			row.getObject("id", UUID.class), row.getString("name"), row.getString("prefix"),
			row.getObject("created_at", OffsetDateTime.class), row.getObject("last_used_at", OffsetDateTime.class),
			row.getObject("revoked_at", OffsetDateTime.class));

	/** The owner's keys, inside {@code OwnerDb.as}. */
	List<AccessTokens.TokenView> list(JdbcClient sql) {
		return sql.sql(LIST).query(VIEW).list();
	}

	/** Inside {@code OwnerDb.as}. */
	Inserted insert(JdbcClient sql, UUID workspaceId, UUID createdBy, String name, AccessTokens.NewToken token) {
		return sql.sql(INSERT)
			.param("workspaceId", workspaceId)
			.param("createdBy", createdBy)
			.param("name", name)
			.param("prefix", token.prefix())
			.param("hash", token.hash())
			.query((row, i) -> new Inserted(row.getObject("id", UUID.class),
					row.getObject("created_at", OffsetDateTime.class)))
			.single();
	}

	/** Inside {@code OwnerDb.as}; whether the key exists. Revoking twice is fine. */
	boolean revoke(JdbcClient sql, UUID id) {
		return sql.sql(REVOKE).param("id", id).update() > 0;
	}

	/** With the service's rights: the live token whose secret hashes to {@code hash}. */
	Optional<Live> findLive(String hash) {
		return this.jdbc.sql(FIND_LIVE)
			.param("hash", hash)
			.query((row, i) -> new Live(row.getObject("id", UUID.class), row.getObject("owner_id", UUID.class),
					row.getString("email"), row.getBoolean("stale")))
			.optional();
	}

	/** With the service's rights: records that the token was just used. */
	void touch(UUID id) {
		this.jdbc.sql(TOUCH).param("id", id).update();
	}

}
