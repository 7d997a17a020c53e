package dev.clara.chat.owner.identity;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.identity.IdentitySecrets;
import dev.clara.chat.owner.keys.LlmKeyRotation;
import dev.clara.shared.crypto.EncryptedSecret;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The owner's side of {@code identity_secrets}, inside {@code OwnerDb.as}: the owner's role can
 * insert a ciphertext but never read one back (column privileges), so every statement names its
 * columns. The master key rotation's two statements run with the service's rights, across workspaces.
 */
@Repository
class OwnerIdentitySecretRepository implements LlmKeyRotation.IdentitySecretRows {

	private static final String COLUMNS = "id, secret_last4, created_at, retires_at, revoked_at";

	private static final String LIST = "SELECT " + COLUMNS + " FROM identity_secrets ORDER BY created_at DESC, id";

	private static final String ONE = "SELECT " + COLUMNS + " FROM identity_secrets WHERE id = :id";

	private static final String INSERT = """
			INSERT INTO identity_secrets (id, workspace_id, encrypted_secret, key_id, secret_last4)
			VALUES (:id, :workspaceId, :encrypted, :keyId, :last4)
			""";

	/** Rotation: the old secret keeps verifying until then; one already retiring sooner keeps its date. */
	private static final String RETIRE = """
			UPDATE identity_secrets SET retires_at = LEAST(COALESCE(retires_at, :at), :at)
			WHERE id = :id AND revoked_at IS NULL AND (retires_at IS NULL OR retires_at > now())
			""";

	private static final String STALE = """
			SELECT id, workspace_id, key_id, encrypted_secret FROM identity_secrets WHERE key_id <> :current ORDER BY id
			""";

	private static final String REWRITE = """
			UPDATE identity_secrets SET encrypted_secret = :value, key_id = :keyId
			WHERE id = :id AND workspace_id = :workspaceId AND key_id = :oldKeyId AND encrypted_secret = :oldValue
			""";

	private static final String REVOKE = "UPDATE identity_secrets SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL";

	private static final RowMapper<Secret> SECRET = (row, i) -> {
		OffsetDateTime retiresAt = row.getObject("retires_at", OffsetDateTime.class);
		OffsetDateTime revokedAt = row.getObject("revoked_at", OffsetDateTime.class);
		return new Secret(row.getObject("id", UUID.class), row.getString("secret_last4"), status(retiresAt, revokedAt),
				row.getObject("created_at", OffsetDateTime.class), retiresAt, revokedAt);
	};

	/**
	 * A secret as the owner sees it: never the secret, never its ciphertext.
	 * @param status {@code active}, {@code retiring} (rotated, still verifying), {@code retired} or {@code revoked}
	 */
	record Secret(UUID id, String secretLast4, String status, OffsetDateTime createdAt, OffsetDateTime retiresAt,
			OffsetDateTime revokedAt) {

		boolean verifies() {
			return "active".equals(this.status) || "retiring".equals(this.status);
		}

	}

	private static String status(OffsetDateTime retiresAt, OffsetDateTime revokedAt) {
		if (revokedAt != null) {
			return "revoked";
		}
		if (retiresAt == null) {
			return "active";
		}
		return retiresAt.isAfter(OffsetDateTime.now()) ? "retiring" : "retired";
	}

	private final JdbcClient jdbc;

	OwnerIdentitySecretRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<LlmKeyRotation.EncryptedRow> notUnder(String currentKeyId) {
		return this.jdbc.sql(STALE)
			.param("current", currentKeyId)
			.query((row, i) -> new LlmKeyRotation.EncryptedRow(row.getObject("id", UUID.class),
					row.getObject("workspace_id", UUID.class), row.getString("key_id"), row.getString("encrypted_secret")))
			.list();
	}

	@Override
	public boolean rewrite(LlmKeyRotation.EncryptedRow old, EncryptedSecret fresh) {
		return this.jdbc.sql(REWRITE)
			.param("value", fresh.value())
			.param("keyId", fresh.keyId())
			.param("id", old.id())
			.param("workspaceId", old.workspaceId())
			.param("oldKeyId", old.keyId())
			.param("oldValue", old.value())
			.update() == 1;
	}

	@Override
	public byte[] aad(LlmKeyRotation.EncryptedRow row) {
		return IdentitySecrets.aad(row.workspaceId(), row.id());
	}

	List<Secret> list(JdbcClient sql) {
		return sql.sql(LIST).query(SECRET).list();
	}

	java.util.Optional<Secret> one(JdbcClient sql, UUID id) {
		return sql.sql(ONE).param("id", id).query(SECRET).optional();
	}

	void insert(JdbcClient sql, UUID id, UUID workspaceId, EncryptedSecret secret, String last4) {
		sql.sql(INSERT)
			.param("id", id)
			.param("workspaceId", workspaceId)
			.param("encrypted", secret.value())
			.param("keyId", secret.keyId())
			.param("last4", last4)
			.update();
	}

	/** False when there is no such verifying secret (another workspace's id included). */
	boolean retire(JdbcClient sql, UUID id, OffsetDateTime at) {
		return sql.sql(RETIRE).param("id", id).param("at", at).update() == 1;
	}

	boolean revoke(JdbcClient sql, UUID id) {
		return sql.sql(REVOKE).param("id", id).update() == 1;
	}

}
