package dev.clara.chat.owner.keys;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.clara.shared.crypto.EncryptedSecret;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code api_keys} table. The owner's statements run inside {@code OwnerDb.as} and name their
 * columns: the owner's role cannot even read {@code encrypted_key} (column privileges). The
 * rotation's statements run with the service's rights, across workspaces.
 */
@Repository
class LlmKeyRepository {

	private static final String COLUMNS = "id, provider, model, label, key_last4, is_default, is_active, created_at, updated_at";

	private static final String LIST = "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id";

	private static final String ONE = "SELECT " + COLUMNS + " FROM api_keys WHERE id = :id";

	private static final String INSERT = """
			INSERT INTO api_keys (id, workspace_id, provider, model, encrypted_key, key_id, key_last4, label)
			VALUES (:id, :workspaceId, :provider, :model, :encrypted, :keyId, :last4, :label)
			""";

	private static final String COUNT_ACTIVE_DEFAULTS = "SELECT count(*) FROM api_keys WHERE is_active AND is_default";

	private static final String SET_ACTIVE = """
			UPDATE api_keys SET is_active = :active, is_default = CASE WHEN :active THEN is_default ELSE false END
			WHERE id = :id
			""";

	private static final String SET_DEFAULT = "SELECT set_default_api_key(:id)";

	private static final String DELETE = "DELETE FROM api_keys WHERE id = :id";

	private static final String STALE = """
			SELECT id, workspace_id, key_id, encrypted_key FROM api_keys WHERE key_id <> :current ORDER BY id
			""";

	private static final String REWRITE = """
			UPDATE api_keys SET encrypted_key = :value, key_id = :keyId
			WHERE id = :id AND workspace_id = :workspaceId AND key_id = :oldKeyId AND encrypted_key = :oldValue
			""";

	private final JdbcClient jdbc;

	LlmKeyRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A key as the owner sees it: never the key, never its ciphertext. */
	record LlmKey(UUID id, String provider, String model, String label, String keyLast4, boolean isDefault,
			boolean isActive, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
	}

	/** A new key, encrypted for its workspace and id. */
	record NewKey(UUID id, UUID workspaceId, String provider, String model, EncryptedSecret secret, String last4,
			String label) {
	}

	/** What {@code set_default_api_key} did. */
	enum DefaultChange {

		DONE, NO_SUCH_KEY, KEY_INACTIVE

	}


	private static final RowMapper<LlmKey> ROW = (row, i) -> new LlmKey(row.getObject("id", UUID.class),
			row.getString("provider"), row.getString("model"), row.getString("label"), row.getString("key_last4"),
			row.getBoolean("is_default"), row.getBoolean("is_active"), row.getObject("created_at", OffsetDateTime.class),
			row.getObject("updated_at", OffsetDateTime.class));

	List<LlmKey> list(JdbcClient sql) {
		return sql.sql(LIST).query(ROW).list();
	}

	Optional<LlmKey> find(JdbcClient sql, UUID id) {
		return sql.sql(ONE).param("id", id).query(ROW).optional();
	}

	void insert(JdbcClient sql, NewKey key) {
		sql.sql(INSERT)
			.param("id", key.id())
			.param("workspaceId", key.workspaceId())
			.param("provider", key.provider())
			.param("model", key.model())
			.param("encrypted", key.secret().value())
			.param("keyId", key.secret().keyId())
			.param("last4", key.last4())
			.param("label", key.label())
			.update();
	}

	boolean hasActiveDefault(JdbcClient sql) {
		return sql.sql(COUNT_ACTIVE_DEFAULTS).query(Long.class).single() > 0;
	}

	/** Whether the key exists; a deactivated key stops being the default. */
	boolean setActive(JdbcClient sql, UUID id, boolean active) {
		return sql.sql(SET_ACTIVE).param("active", active).param("id", id).update() > 0;
	}

	/** {@code set_default_api_key}: clears the old default and sets this one, under row-level security. */
	DefaultChange setDefault(JdbcClient sql, UUID id) {
		try {
			sql.sql(SET_DEFAULT).param("id", id).query().singleRow();
			return DefaultChange.DONE;
		}
		catch (DataAccessException ex) {
			String state = sqlState(ex);
			if ("P0002".equals(state)) {
				return DefaultChange.NO_SUCH_KEY;
			}
			if ("55000".equals(state)) {
				return DefaultChange.KEY_INACTIVE;
			}
			throw ex;
		}
	}

	/** Whether the key existed. */
	boolean delete(JdbcClient sql, UUID id) {
		return sql.sql(DELETE).param("id", id).update() > 0;
	}

	/** With the service's rights: every row not encrypted under {@code currentKeyId}. */
	List<LlmKeyRotation.EncryptedRow> notUnder(String currentKeyId) {
		return this.jdbc.sql(STALE)
			.param("current", currentKeyId)
			.query((row, i) -> new LlmKeyRotation.EncryptedRow(row.getObject("id", UUID.class), row.getObject("workspace_id", UUID.class),
					row.getString("key_id"), row.getString("encrypted_key")))
			.list();
	}

	/**
	 * With the service's rights: replaces the ciphertext only if the row still holds {@code old} (a
	 * concurrent change wins); whether it did.
	 */
	boolean rewrite(LlmKeyRotation.EncryptedRow old, EncryptedSecret fresh) {
		return this.jdbc.sql(REWRITE)
			.param("value", fresh.value())
			.param("keyId", fresh.keyId())
			.param("id", old.id())
			.param("workspaceId", old.workspaceId())
			.param("oldKeyId", old.keyId())
			.param("oldValue", old.value())
			.update() == 1;
	}

	private static String sqlState(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
		}
		return null;
	}

}
