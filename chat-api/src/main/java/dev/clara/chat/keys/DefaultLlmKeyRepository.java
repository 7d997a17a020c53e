package dev.clara.chat.keys;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads a workspace's default LLM key row, still encrypted. */
@Repository
class DefaultLlmKeyRepository {

	private static final String DEFAULT_KEY = """
			SELECT id, provider, model, key_id, encrypted_key
			FROM api_keys
			WHERE workspace_id = :workspaceId AND is_default AND is_active
			""";

	/** A key row as stored: {@code encryptedKey} is ciphertext under the master key {@code keyId}. */
	record StoredKey(UUID id, String provider, String model, String keyId, String encryptedKey) {
	}

	private final JdbcClient jdbc;

	DefaultLlmKeyRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<StoredKey> defaultKey(UUID workspaceId) {
		return this.jdbc.sql(DEFAULT_KEY)
			.param("workspaceId", workspaceId)
			.query((row, i) -> new StoredKey(row.getObject("id", UUID.class), row.getString("provider"),
					row.getString("model"), row.getString("key_id"), row.getString("encrypted_key")))
			.optional();
	}

}
