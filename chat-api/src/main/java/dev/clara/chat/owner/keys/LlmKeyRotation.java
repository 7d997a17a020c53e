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

	private final LlmKeyRepository rows;

	private final TransactionTemplate transactions;

	private final ObjectProvider<LlmKeyCipher> cipher;

	LlmKeyRotation(LlmKeyRepository rows, TransactionTemplate transactions, ObjectProvider<LlmKeyCipher> cipher) {
		this.rows = rows;
		this.transactions = transactions;
		this.cipher = cipher;
	}

	public record Failure(UUID id, String reason) {
	}

	/** What a rotation did. {@code failed} names rows only, never values. */
	public record Result(String currentKeyId, int examined, int reencrypted, List<Failure> failed) {
	}

	public Result reencryptAll() {
		LlmKeyCipher keys = this.cipher.getIfAvailable();
		if (keys == null) {
			throw new IllegalStateException("no master keys configured (CLARA_MASTER_KEYS)");
		}
		String current = keys.encrypt("probe-value", new byte[] { 1 }).keyId();
		List<LlmKeyRepository.Stored> stale = this.rows.notUnder(current);
		int done = 0;
		List<Failure> failed = new ArrayList<>();
		for (LlmKeyRepository.Stored row : stale) {
			try {
				EncryptedSecret fresh = keys.reencrypt(row.keyId(), row.value(), LlmKeyCipher.aad(row.workspaceId(), row.id()));
				if (Boolean.TRUE.equals(this.transactions.execute(status -> this.rows.rewrite(row, fresh)))) {
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
