package dev.clara.chat.owner.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Function;

import dev.clara.shared.crypto.EncryptedSecret;
import dev.clara.shared.crypto.KeyCipherException;
import dev.clara.shared.crypto.LlmKeyCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Master key rotation: re-encrypts every {@code api_keys} row, and every {@code identity_secrets}
 * row, whose {@code key_id} is not the current master key, each row in its own transaction and only if the row still holds the value
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

	private final IdentitySecretRows identitySecrets;

	LlmKeyRotation(LlmKeyRepository rows, TransactionTemplate transactions, ObjectProvider<LlmKeyCipher> cipher,
			IdentitySecretRows identitySecrets) {
		this.rows = rows;
		this.identitySecrets = identitySecrets;
		this.transactions = transactions;
		this.cipher = cipher;
	}

	public record Failure(UUID id, String reason) {
	}

	/**
	 * What a rotation did to the LLM keys ({@code examined}, {@code reencrypted}, {@code failed})
	 * and to the identity secrets. {@code failed} names rows only, never values.
	 */
	public record Result(String currentKeyId, int examined, int reencrypted, List<Failure> failed,
			Part identitySecrets) {

		public boolean complete() {
			return this.failed.isEmpty() && this.identitySecrets.failed().isEmpty();
		}

	}

	/** A row encrypted under a master key: which row, and its ciphertext. */
	public record EncryptedRow(UUID id, UUID workspaceId, String keyId, String value) {
	}

	/** The same figures for another table of encrypted secrets. */
	public record Part(int examined, int reencrypted, List<Failure> failed) {
	}

	/**
	 * Another table whose rows the master keys encrypt: the identity secrets (owner.identity),
	 * kept out of this package's repository so each table's SQL stays beside its table's other SQL.
	 */
	public interface IdentitySecretRows {

		List<EncryptedRow> notUnder(String currentKeyId);

		boolean rewrite(EncryptedRow old, EncryptedSecret fresh);

		byte[] aad(EncryptedRow row);

	}

	public Result reencryptAll() {
		LlmKeyCipher keys = this.cipher.getIfAvailable();
		if (keys == null) {
			throw new IllegalStateException("no master keys configured (CLARA_MASTER_KEYS)");
		}
		String current = keys.encrypt("probe-value", new byte[] { 1 }).keyId();
		Part llmKeys = rotate(keys, "LLM key", this.rows.notUnder(current),
				row -> LlmKeyCipher.aad(row.workspaceId(), row.id()), this.rows::rewrite);
		Part identity = rotate(keys, "identity secret", this.identitySecrets.notUnder(current),
				this.identitySecrets::aad, this.identitySecrets::rewrite);
		log.info("Master key rotation to '{}': {} of {} LLM keys and {} of {} identity secrets re-encrypted, {} failed",
				current, llmKeys.reencrypted(), llmKeys.examined(), identity.reencrypted(), identity.examined(),
				llmKeys.failed().size() + identity.failed().size());
		return new Result(current, llmKeys.examined(), llmKeys.reencrypted(), llmKeys.failed(), identity);
	}

	private Part rotate(LlmKeyCipher keys, String what, List<EncryptedRow> stale,
			Function<EncryptedRow, byte[]> aad,
			BiPredicate<EncryptedRow, EncryptedSecret> rewrite) {
		int done = 0;
		List<Failure> failed = new ArrayList<>();
		for (EncryptedRow row : stale) {
			try {
				EncryptedSecret fresh = keys.reencrypt(row.keyId(), row.value(), aad.apply(row));
				if (Boolean.TRUE.equals(this.transactions.execute(status -> rewrite.test(row, fresh)))) {
					done++;
				}
			}
			catch (KeyCipherException ex) {
				failed.add(new Failure(row.id(), ex.reason().name()));
				log.warn("{} row {} was not re-encrypted: {}", what, row.id(), ex.reason());
			}
		}
		return new Part(stale.size(), done, failed);
	}

}
