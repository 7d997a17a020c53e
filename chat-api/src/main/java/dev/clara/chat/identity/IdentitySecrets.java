package dev.clara.chat.identity;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * What an identity secret is: its text (shown to the owner once), and the associated data that
 * binds its ciphertext to its row. The HMAC and JWT keys are the secret's UTF-8 bytes, so a site
 * computes {@code user_hash} with the string exactly as shown.
 */
public final class IdentitySecrets {

	static final String PREFIX = "clara_ids_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private IdentitySecrets() {
	}

	/** A new secret: 256 random bits, URL-safe, with a prefix that says what it is. */
	public static String generate() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** Associated data of a secret's ciphertext; distinct from an LLM key's so neither decrypts as the other. */
	public static byte[] aad(UUID workspaceId, UUID secretId) {
		return ("identity_secret:" + workspaceId + ":" + secretId).getBytes(StandardCharsets.UTF_8);
	}

}
