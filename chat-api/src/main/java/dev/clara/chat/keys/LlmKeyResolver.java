package dev.clara.chat.keys;

import java.util.Optional;
import java.util.UUID;

import dev.clara.chat.answer.LlmCredentials;
import dev.clara.chat.config.OpenAiProperties;
import dev.clara.shared.crypto.LlmKeyCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Finds the LLM key for a turn: the workspace's default active key, decrypted in memory only, or
 * else the deployment's key. Keys are never logged; failures name the key row, not its value.
 */
@Component
public class LlmKeyResolver {

	private static final Logger log = LoggerFactory.getLogger(LlmKeyResolver.class);

	private final DefaultLlmKeyRepository keys;

	private final ObjectProvider<LlmKeyCipher> cipher;

	private final OpenAiProperties deployment;

	LlmKeyResolver(DefaultLlmKeyRepository keys, ObjectProvider<LlmKeyCipher> cipher, OpenAiProperties deployment) {
		this.keys = keys;
		this.cipher = cipher;
		this.deployment = deployment;
	}

	public Optional<LlmCredentials> resolve(UUID workspaceId) {
		return resolve(workspaceId, true);
	}

	/**
	 * The same, for a caller that already knows whether the workspace has a default key of its own
	 * (a chat turn reads it with the workspace's settings): without one, the database is not asked.
	 */
	public Optional<LlmCredentials> resolve(UUID workspaceId, boolean hasOwnKey) {
		Optional<DefaultLlmKeyRepository.StoredKey> stored = hasOwnKey ? this.keys.defaultKey(workspaceId)
				: Optional.empty();
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

	private Optional<LlmCredentials> decrypt(UUID workspaceId, DefaultLlmKeyRepository.StoredKey key) {
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
