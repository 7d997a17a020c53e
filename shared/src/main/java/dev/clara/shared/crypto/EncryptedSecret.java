package dev.clara.shared.crypto;

import java.util.Objects;

/**
 * An encrypted value and the id of the master key that encrypted it, stored side by side
 * ({@code api_keys.key_id}, {@code api_keys.encrypted_key}).
 *
 * @param keyId the master key's id
 * @param value {@code iv:authTag:ciphertext}, lower-case hex
 */
public record EncryptedSecret(String keyId, String value) {

	public EncryptedSecret {
		Objects.requireNonNull(keyId, "keyId");
		Objects.requireNonNull(value, "value");
	}

}
