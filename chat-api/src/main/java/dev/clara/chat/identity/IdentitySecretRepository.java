package dev.clara.chat.identity;

import java.util.List;
import java.util.UUID;

import dev.clara.shared.crypto.EncryptedSecret;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The secrets that verify a workspace's users now: neither revoked nor past their retirement. */
@Repository
class IdentitySecretRepository {

	private static final String VERIFYING = """
			SELECT id, key_id, encrypted_secret FROM identity_secrets
			WHERE workspace_id = :workspaceId AND revoked_at IS NULL AND (retires_at IS NULL OR retires_at > now())
			ORDER BY created_at DESC
			""";

	private final JdbcClient jdbc;

	IdentitySecretRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record Stored(UUID id, EncryptedSecret secret) {
	}

	List<Stored> verifying(UUID workspaceId) {
		return this.jdbc.sql(VERIFYING)
			.param("workspaceId", workspaceId)
			.query((row, i) -> new Stored(row.getObject("id", UUID.class),
					new EncryptedSecret(row.getString("key_id"), row.getString("encrypted_secret"))))
			.list();
	}

}
