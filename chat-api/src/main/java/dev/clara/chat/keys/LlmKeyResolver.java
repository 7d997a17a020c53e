package dev.clara.chat.keys;

import java.util.Optional;
import java.util.UUID;

import dev.clara.chat.answer.LlmCredentials;
import dev.clara.chat.config.OpenAiProperties;
import dev.clara.shared.crypto.LlmKeyCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds the LLM key for a turn: the workspace's default active key, decrypted in memory only, or
 * else the deployment's key. Keys are never logged; failures name the key row, not its value.
 */
@Component
public class LlmKeyResolver {

	private static final Logger log = LoggerFactory.getLogger(LlmKeyResolver.class);

	private static final String DEFAULT_KEY = """
			SELECT id, provider, model, key_id, encrypted_key
			FROM api_keys
			WHERE workspace_id = :workspaceId AND is_default AND is_active
			""";

	private final JdbcClient jdbc;

	private final ObjectProvider<LlmKeyCipher> cipher;

	private final OpenAiProperties deployment;

	LlmKeyResolver(JdbcClient jdbc, ObjectProvider<LlmKeyCipher> cipher, OpenAiProperties deployment) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.deployment = deployment;
	}

	private record StoredKey(UUID id, String provider, String model, String keyId, String encryptedKey) {
	}

	public Optional<LlmCredentials> resolve(UUID workspaceId) {
		Optional<StoredKey> stored = this.jdbc.sql(DEFAULT_KEY)
			.param("workspaceId", workspaceId)
			.query((row, i) -> new StoredKey(row.getObject("id", UUID.class), row.getString("provider"),
					row.getString("model"), row.getString("key_id"), row.getString("encrypted_key")))
			.optional();
		if (stored.isPresent()) {
			Optional<LlmCredentials> decrypted = decrypt(workspaceId, stored.get());
			if (decrypted.isPresent()) {
				return decrypted;
			}
		}
		if (this.deployment.hasKey()) {
			return Optional.of(new LlmCredentials("deployment", "openai", this.deployment.chatModel(),
					this.deployment.apiKey(), this.deployment.baseUrl()));
		}
		return Optional.empty();
	}

	private Optional<LlmCredentials> decrypt(UUID workspaceId, StoredKey key) {
		LlmKeyCipher available = this.cipher.getIfAvailable();
		if (available == null) {
			log.warn("Workspace {} has an LLM key (row {}) but no master key is configured (CLARA_MASTER_KEYS)",
					workspaceId, key.id());
			return Optional.empty();
		}
		try {
			String raw = available.decrypt(key.keyId(), key.encryptedKey(), LlmKeyCipher.aad(workspaceId, key.id()));
			return Optional.of(new LlmCredentials("workspace", key.provider(), key.model(), raw,
					this.deployment.workspaceUrlOf(key.provider())));
		}
		catch (RuntimeException ex) {
			log.warn("LLM key row {} of workspace {} could not be decrypted: {}", key.id(), workspaceId,
					ex.getClass().getSimpleName());
			return Optional.empty();
		}
	}

}
