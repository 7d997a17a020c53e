package dev.clara.shared.crypto;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 master keys that encrypt owners' LLM API keys, each with an id, and which one
 * encrypts new values. Old keys stay listed after a rotation so existing values still decrypt
 * until they are re-encrypted.
 *
 * <p>Configured as {@code id1:base64key,id2:base64key} (for example {@code CLARA_MASTER_KEYS})
 * plus the current id ({@code CLARA_MASTER_KEY_ID}). {@link #toString()} prints ids only, and
 * parse errors name the entry by id or position, never by its key text.
 */
public final class MasterKeys {

	/** AES-256. */
	public static final int KEY_BYTES = 32;

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final Map<String, SecretKey> keys;

	private final String currentId;

	private MasterKeys(Map<String, SecretKey> keys, String currentId) {
		this.keys = Collections.unmodifiableMap(keys);
		this.currentId = currentId;
	}

	/**
	 * @param config {@code id:base64key} entries separated by commas; spaces around them are ignored
	 * @param currentId the id that encrypts new values; must be one of the entries
	 * @throws IllegalArgumentException naming the bad entry (by id or position, never its key)
	 */
	public static MasterKeys parse(String config, String currentId) {
		if (config == null || config.isBlank()) {
			throw new IllegalArgumentException("No master keys configured: expected 'id:base64key[,id:base64key...]'");
		}
		Map<String, SecretKey> keys = new LinkedHashMap<>();
		String[] entries = config.split(",");
		for (int i = 0; i < entries.length; i++) {
			String entry = entries[i].strip();
			int colon = entry.indexOf(':');
			if (colon < 0) {
				throw new IllegalArgumentException("Master key entry " + (i + 1) + " is not 'id:base64key'");
			}
			String id = entry.substring(0, colon).strip();
			if (!ID.matcher(id).matches()) {
				throw new IllegalArgumentException("Master key entry " + (i + 1)
						+ " has an invalid id: use 1-64 letters, digits, '.', '_' or '-'");
			}
			if (keys.containsKey(id)) {
				throw new IllegalArgumentException("Master key id '" + id + "' is listed twice");
			}
			keys.put(id, decode(id, entry.substring(colon + 1).strip()));
		}
		if (currentId == null || currentId.isBlank()) {
			throw new IllegalArgumentException("No current master key id configured; known ids: " + keys.keySet());
		}
		String current = currentId.strip();
		if (!keys.containsKey(current)) {
			throw new IllegalArgumentException(
					"Current master key id '" + current + "' is not among the configured ids " + keys.keySet());
		}
		return new MasterKeys(keys, current);
	}

	/** A new random key in the configuration's base64 form, for setting up a deployment. */
	public static String generateKey() {
		byte[] key = new byte[KEY_BYTES];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	public String currentId() {
		return this.currentId;
	}

	public Set<String> ids() {
		return this.keys.keySet();
	}

	public boolean contains(String id) {
		return this.keys.containsKey(id);
	}

	SecretKey key(String id) {
		return this.keys.get(id);
	}

	SecretKey currentKey() {
		return this.keys.get(this.currentId);
	}

	/** Ids only. */
	@Override
	public String toString() {
		return "MasterKeys[current=" + this.currentId + ", ids=" + this.keys.keySet() + "]";
	}

	private static SecretKey decode(String id, String base64) {
		byte[] key;
		try {
			key = Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			// the decoder's message quotes the offending character; leave it out
			throw new IllegalArgumentException("Master key '" + id + "' is not valid base64");
		}
		if (key.length != KEY_BYTES) {
			throw new IllegalArgumentException("Master key '" + id + "' must be exactly " + KEY_BYTES
					+ " bytes (AES-256), but decodes to " + key.length + " bytes");
		}
		return new SecretKeySpec(key, "AES");
	}

}
