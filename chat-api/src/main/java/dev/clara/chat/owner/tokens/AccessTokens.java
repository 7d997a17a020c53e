package dev.clara.chat.owner.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.OwnerPrincipal;

import org.springframework.stereotype.Component;

/**
 * The product's own API keys ({@code access_tokens}): {@code clara_} + 43 characters (256 random
 * bits). Only a SHA-256 of the whole token is stored (a slow hash adds nothing to 256 random
 * bits, and a fast one lets the lookup use the unique index); {@code prefix} is its visible start.
 */
@Component
public class AccessTokens {

	public static final String PREFIX = "clara_";

	private static final int VISIBLE_CHARS = PREFIX.length() + 6;

	private final SecureRandom random = new SecureRandom();

	private final AccessTokenRepository tokens;

	private final String audience;

	AccessTokens(AccessTokenRepository tokens, OwnerProperties properties) {
		this.tokens = tokens;
		this.audience = properties.jwt().audience();
	}

	public static boolean looksLikeAccessToken(String bearer) {
		return bearer.startsWith(PREFIX);
	}

	/** A new token: the secret (shown once), its visible prefix and its hash. */
	public record NewToken(String secret, String prefix, String hash) {

		@Override
		public String toString() {
			return "NewToken[" + this.prefix + "…]";
		}

	}

	public NewToken generate() {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		return new NewToken(secret, secret.substring(0, VISIBLE_CHARS), hash(secret));
	}

	/** The owner a live (not revoked) token acts for. */
	public Optional<OwnerPrincipal> authenticate(String secret) {
		if (secret.length() > 100) {
			return Optional.empty();
		}
		Optional<AccessTokenRepository.Live> found = this.tokens.findLive(hash(secret));
		found.filter(AccessTokenRepository.Live::stale).ifPresent(token -> this.tokens.touch(token.id()));
		return found.map(token -> {
			Map<String, Object> claims = new LinkedHashMap<>();
			claims.put("sub", token.owner().toString());
			claims.put("role", "authenticated");
			claims.put("aud", this.audience);
			claims.put("email", token.email());
			claims.put("clara_access_token_id", token.id().toString());
			return new OwnerPrincipal(token.owner(), token.email(), claims, token.id());
		});
	}

	static String hash(String secret) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An access token as listed: never the secret. */
	public record TokenView(UUID id, String name, String prefix, OffsetDateTime createdAt, OffsetDateTime lastUsedAt,
			OffsetDateTime revokedAt) {
	}

}
