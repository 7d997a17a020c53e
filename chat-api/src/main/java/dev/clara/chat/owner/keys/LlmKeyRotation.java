package dev.clara.chat.owner.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.shared.crypto.EncryptedSecret;
import dev.clara.shared.crypto.KeyCipherException;
import dev.clara.shared.crypto.LlmKeyCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Master key rotation: re-encrypts every {@code api_keys} row whose {@code key_id} is not the
 * current master key, each row in its own transaction and only if the row still holds the value
 * that was read (a concurrent change wins). Rows that do not decrypt (unknown key id, altered
 * ciphertext) are reported by id and reason and left as they are. Runs with the service's rights
 * across all workspaces: it is an operator's command, not an owner's.
 */
@Service
public class LlmKeyRotation {

	private static final Logger log = LoggerFactory.getLogger(LlmKeyRotation.class);

	private static final String STALE = """
			SELECT id, workspace_id, key_id, encrypted_key FROM api_keys WHERE key_id <> :current ORDER BY id
			""";

	private static final String REWRITE = """
			UPDATE api_keys SET encrypted_key = :value, key_id = :keyId
			WHERE id = :id AND workspace_id = :workspaceId AND key_id = :oldKeyId AND encrypted_key = :oldValue
			""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final ObjectProvider<LlmKeyCipher> cipher;

	LlmKeyRotation(JdbcClient jdbc, TransactionTemplate transactions, ObjectProvider<LlmKeyCipher> cipher) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.cipher = cipher;
	}

	public record Failure(UUID id, String reason) {
	}

	/** What a rotation did. {@code failed} names rows only, never values. */
	public record Result(String currentKeyId, int examined, int reencrypted, List<Failure> failed) {
	}

	private record Stored(UUID id, UUID workspaceId, String keyId, String value) {
	}

	public Result reencryptAll() {
		LlmKeyCipher keys = this.cipher.getIfAvailable();
		if (keys == null) {
			throw new IllegalStateException("no master keys configured (CLARA_MASTER_KEYS)");
		}
		String current = keys.encrypt("probe-value", new byte[] { 1 }).keyId();
		List<Stored> stale = this.jdbc.sql(STALE)
			.param("current", current)
			.query((row, i) -> new Stored(row.getObject("id", UUID.class), row.getObject("workspace_id", UUID.class),
					row.getString("key_id"), row.getString("encrypted_key")))
			.list();
		int done = 0;
		List<Failure> failed = new ArrayList<>();
		for (Stored row : stale) {
			try {
				EncryptedSecret fresh = keys.reencrypt(row.keyId(), row.value(), LlmKeyCipher.aad(row.workspaceId(), row.id()));
				Integer updated = this.transactions.execute(status -> this.jdbc.sql(REWRITE)
					.param("value", fresh.value())
					.param("keyId", fresh.keyId())
					.param("id", row.id())
					.param("workspaceId", row.workspaceId())
					.param("oldKeyId", row.keyId())
					.param("oldValue", row.value())
					.update());
				if (updated != null && updated == 1) {
					done++;
				}
			}
			catch (KeyCipherException ex) {
				failed.add(new Failure(row.id(), ex.reason().name()));
				log.warn("LLM key row {} was not re-encrypted: {}", row.id(), ex.reason());
			}
		}
		log.info("LLM key rotation to master key '{}': {} of {} rows re-encrypted, {} failed", current, done,
				stale.size(), failed.size());
		return new Result(current, stale.size(), done, failed);
	}

}
