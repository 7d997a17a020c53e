package dev.clara.shared.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts owners' LLM API keys at rest with AES-256-GCM.
 *
 * <p>A stored value is {@code iv:authTag:ciphertext}, each part lower-case hex: a fresh random
 * 12-byte IV per value (GCM must never reuse an IV under one key) and the 16-byte tag. The
 * master key that encrypted it is named by a key id stored beside it, so keys can be rotated:
 * new values use {@link MasterKeys#currentId()}, old ones decrypt with their own key until
 * re-encrypted ({@link #needsRotation}, {@link #reencrypt}).
 *
 * <p>Associated data binds a value to its row (use {@link #aad(UUID, UUID)}): the same ciphertext
 * copied to another row or workspace fails authentication instead of decrypting.
 *
 * <p>Thread-safe: a {@link Cipher} is made per call (they are not shareable, and cheap).
 */
public final class LlmKeyCipher {

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private static final int IV_BYTES = 12;

	private static final int TAG_BYTES = 16;

	private static final Pattern LOWER_HEX = Pattern.compile("[0-9a-f]*");

	private static final HexFormat HEX = HexFormat.of();

	private final MasterKeys keys;

	private final SecureRandom random = new SecureRandom();

	public LlmKeyCipher(MasterKeys keys) {
		this.keys = Objects.requireNonNull(keys, "keys");
	}

	/** The associated data every service uses for an {@code api_keys} row: {@code workspaceId:apiKeyId}. */
	public static byte[] aad(UUID workspaceId, UUID apiKeyId) {
		return (workspaceId + ":" + apiKeyId).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Encrypts with the current master key.
	 * @param plaintext the raw API key, not blank
	 * @param aad associated data binding the value to its row, not empty
	 */
	public EncryptedSecret encrypt(String plaintext, byte[] aad) {
		if (plaintext == null || plaintext.isBlank()) {
			throw new IllegalArgumentException("nothing to encrypt: the key is blank");
		}
		requireAad(aad);
		byte[] iv = new byte[IV_BYTES];
		this.random.nextBytes(iv);
		byte[] sealed;
		try {
			Cipher cipher = cipher(Cipher.ENCRYPT_MODE, this.keys.currentKey(), iv);
			cipher.updateAAD(aad);
			sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			// only a broken JCE gets here: AES/GCM is mandatory in every JDK
			throw new IllegalStateException("AES-GCM encryption is unavailable: " + ex.getClass().getSimpleName(), ex);
		}
		// the JCE appends the tag to the ciphertext; the stored format keeps it as its own part
		int ciphertextLength = sealed.length - TAG_BYTES;
		String value = HEX.formatHex(iv) + ":" + HEX.formatHex(sealed, ciphertextLength, sealed.length) + ":"
				+ HEX.formatHex(sealed, 0, ciphertextLength);
		return new EncryptedSecret(this.keys.currentId(), value);
	}

	/**
	 * @throws KeyCipherException for an unknown key id, a malformed value, or a failed
	 * authentication (tampered value, wrong row, wrong key); its message holds no secret
	 */
	public String decrypt(String keyId, String value, byte[] aad) {
		Objects.requireNonNull(keyId, "keyId");
		Objects.requireNonNull(value, "value");
		requireAad(aad);
		SecretKey key = this.keys.key(keyId);
		if (key == null) {
			throw new KeyCipherException(KeyCipherException.Reason.UNKNOWN_KEY_ID, "Encrypted secret uses master key '"
					+ keyId + "', which is not configured (configured: " + this.keys.ids() + ")");
		}
		Parts parts = Parts.parse(value);
		try {
			Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, parts.iv());
			cipher.updateAAD(aad);
			return new String(cipher.doFinal(parts.sealed()), StandardCharsets.UTF_8);
		}
		catch (AEADBadTagException ex) {
			throw new KeyCipherException(KeyCipherException.Reason.AUTHENTICATION_FAILED,
					"Encrypted secret failed authentication under master key '" + keyId
							+ "': it was altered, belongs to another row, or was encrypted with another key");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM decryption is unavailable: " + ex.getClass().getSimpleName(), ex);
		}
	}

	/** Overload for a stored pair. */
	public String decrypt(EncryptedSecret secret, byte[] aad) {
		return decrypt(secret.keyId(), secret.value(), aad);
	}

	/** Whether a value stored under {@code keyId} should be re-encrypted with the current key. */
	public boolean needsRotation(String keyId) {
		return !this.keys.currentId().equals(keyId);
	}

	/** Decrypts with the old key and encrypts with the current one, for a rotation job. */
	public EncryptedSecret reencrypt(String keyId, String value, byte[] aad) {
		return encrypt(decrypt(keyId, value, aad), aad);
	}

	/**
	 * The last four characters of a raw key, the only part of it that ever leaves the server
	 * ({@code api_keys.key_last4}).
	 * @throws IllegalArgumentException when the key is shorter than 8 characters, where four would
	 * give away too much of it
	 */
	public static String last4(String rawKey) {
		String key = (rawKey == null) ? "" : rawKey.strip();
		if (key.length() < 8) {
			throw new IllegalArgumentException("an API key must have at least 8 characters");
		}
		return key.substring(key.length() - 4);
	}

	/** Key ids only. */
	@Override
	public String toString() {
		return "LlmKeyCipher[" + this.keys + "]";
	}

	private static Cipher cipher(int mode, SecretKey key, byte[] iv) throws GeneralSecurityException {
		Cipher cipher = Cipher.getInstance(TRANSFORMATION);
		cipher.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, iv));
		return cipher;
	}

	private static void requireAad(byte[] aad) {
		if (aad == null || aad.length == 0) {
			throw new IllegalArgumentException("associated data is required: it binds the secret to its row");
		}
	}

	/** The three parts of a stored value, checked before any decryption is tried. */
	private record Parts(byte[] iv, byte[] tag, byte[] ciphertext) {

		static Parts parse(String value) {
			String[] parts = value.split(":", -1);
			if (parts.length != 3) {
				throw malformed("expected 3 parts 'iv:authTag:ciphertext', found " + parts.length);
			}
			for (String part : parts) {
				if (!LOWER_HEX.matcher(part).matches() || part.length() % 2 != 0) {
					throw malformed("parts must be lower-case hex");
				}
			}
			byte[] iv = HEX.parseHex(parts[0]);
			byte[] tag = HEX.parseHex(parts[1]);
			if (iv.length != IV_BYTES || tag.length != TAG_BYTES) {
				throw malformed("expected a " + IV_BYTES + "-byte IV and a " + TAG_BYTES + "-byte tag, found "
						+ iv.length + " and " + tag.length);
			}
			return new Parts(iv, tag, HEX.parseHex(parts[2]));
		}

		/** Ciphertext then tag, the layout the JCE expects. */
		byte[] sealed() {
			byte[] sealed = Arrays.copyOf(this.ciphertext, this.ciphertext.length + this.tag.length);
			System.arraycopy(this.tag, 0, sealed, this.ciphertext.length, this.tag.length);
			return sealed;
		}

		private static KeyCipherException malformed(String detail) {
			return new KeyCipherException(KeyCipherException.Reason.MALFORMED, "Encrypted secret is malformed: " + detail);
		}

	}

}
