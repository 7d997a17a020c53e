package dev.clara.shared.crypto;

/**
 * A stored secret could not be decrypted. The message says why in general terms and never
 * contains key material, plaintext or the stored value, so it is safe to log.
 */
public class KeyCipherException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** Why decryption failed. */
	public enum Reason {

		/** The value names a master key this deployment does not have (configuration, not data). */
		UNKNOWN_KEY_ID,

		/** The value is not {@code iv:authTag:ciphertext} in lower-case hex of the right lengths. */
		MALFORMED,

		/** The tag did not verify: the value was altered, belongs to another row, or the key differs. */
		AUTHENTICATION_FAILED

	}

	private final Reason reason;

	public KeyCipherException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

}
