package dev.clara.chat.identity;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.clara.chat.web.ApiProblem;
import dev.clara.shared.crypto.KeyCipherException;
import dev.clara.shared.crypto.LlmKeyCipher;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Checks a {@link UserClaim} against the workspace's identity secrets: the hash form
 * (HMAC-SHA256(secret, user id), hex, compared in constant time) or the token form (an HS256 JWT
 * with {@code sub} and a near {@code exp}). Any secret that still verifies (a rotated one during its
 * grace period too) may match. A refusal says what is wrong with the claim, never which secret
 * exists; nothing is stored for a refused claim.
 */
@Component
public class IdentityVerifier {

	/** "Short-lived": a token valid for longer than this is refused, so a leaked one does not last. */
	static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(24);

	static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	private static final HexFormat HEX = HexFormat.of();

	private final IdentitySecretRepository secrets;

	private final ObjectProvider<LlmKeyCipher> cipher;

	private final JsonMapper json;

	IdentityVerifier(IdentitySecretRepository secrets, ObjectProvider<LlmKeyCipher> cipher, JsonMapper json) {
		this.secrets = secrets;
		this.cipher = cipher;
		this.json = json;
	}

	/** What the workspace asks of its visitors' identity (its settings). */
	public record Rules(boolean requireVerifiedUser, boolean requireUserToken) {
	}

	/**
	 * The verified user, or null for an anonymous visitor the workspace accepts.
	 * @throws ApiProblem 403 when the claim does not verify or the workspace requires what is missing
	 */
	public VerifiedUser verify(UUID workspaceId, Rules rules, UserClaim claim) {
		if (claim == null) {
			if (rules.requireVerifiedUser()) {
				throw refused("This workspace answers signed-in users only: send the user with its hash or token");
			}
			return null;
		}
		if (claim.token() == null && rules.requireUserToken()) {
			throw refused("This workspace accepts a signed user token (user.token) only, not a hash");
		}
		List<byte[]> keys = keys(workspaceId);
		return claim.token() != null ? verifyToken(claim, keys) : verifyHash(claim, keys);
	}

	private VerifiedUser verifyHash(UserClaim claim, List<byte[]> keys) {
		byte[] sent = HEX.parseHex(claim.hash().toLowerCase());
		boolean matched = false;
		for (byte[] key : keys) {
			// every secret is tried, so the time taken does not tell which one matched
			matched |= MessageDigest.isEqual(hmac(key, claim.id()), sent);
		}
		if (!matched) {
			throw refused("The user's hash does not match its id");
		}
		return new VerifiedUser(claim.id(), claim.name(), claim.email(), claim.traitsJson());
	}

	private VerifiedUser verifyToken(UserClaim claim, List<byte[]> keys) {
		SignedJWT jwt;
		try {
			jwt = SignedJWT.parse(claim.token());
		}
		catch (ParseException ex) {
			throw refused("The user token is not a signed JWT");
		}
		if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
			throw refused("The user token must be signed with HS256");
		}
		if (!keys.stream().anyMatch(key -> verifies(jwt, key))) {
			throw refused("The user token's signature does not match");
		}
		JWTClaimsSet claims;
		try {
			claims = jwt.getJWTClaimsSet();
		}
		catch (ParseException ex) {
			throw refused("The user token's claims are not a JSON object");
		}
		Instant now = Instant.now();
		if (claims.getExpirationTime() == null) {
			throw refused("The user token needs an exp claim");
		}
		Instant expires = claims.getExpirationTime().toInstant();
		if (expires.isBefore(now.minus(CLOCK_SKEW))) {
			throw refused("The user token has expired");
		}
		if (expires.isAfter(now.plus(MAX_TOKEN_LIFETIME).plus(CLOCK_SKEW))) {
			throw refused("The user token must expire within " + MAX_TOKEN_LIFETIME.toHours() + " hours");
		}
		String subject = claims.getSubject();
		if (subject == null || subject.isBlank() || subject.length() > UserClaim.MAX_ID_CHARS) {
			throw refused("The user token needs a sub claim (the user id) of at most " + UserClaim.MAX_ID_CHARS + " characters");
		}
		if (claim.id() != null && !claim.id().equals(subject)) {
			throw refused("user.id differs from the token's sub");
		}
		// with a token, only what the secret signed describes the user
		List<String> errors = new ArrayList<>();
		String name = shortText(claims, "name", errors);
		String email = shortText(claims, "email", errors);
		Object traits = claims.getClaim("traits");
		String traitsJson = traits instanceof Map<?, ?> map
				? UserClaim.traits(this.json.valueToTree(map), "the token's traits", errors) : null;
		if (!errors.isEmpty()) {
			throw ApiProblem.invalid(errors);
		}
		return new VerifiedUser(subject, name, email, traitsJson);
	}

	private static String shortText(JWTClaimsSet claims, String name, List<String> errors) {
		Object value = claims.getClaim(name);
		if (value == null) {
			return null;
		}
		if (!(value instanceof String text) || text.length() > UserClaim.MAX_FIELD_CHARS) {
			errors.add("the token's " + name + " must be a string of at most " + UserClaim.MAX_FIELD_CHARS + " characters");
			return null;
		}
		return text.isBlank() ? null : text.strip();
	}

	private static boolean verifies(SignedJWT jwt, byte[] key) {
		try {
			return jwt.verify(new MACVerifier(key));
		}
		catch (JOSEException ex) {
			return false;
		}
	}

	private List<byte[]> keys(UUID workspaceId) {
		LlmKeyCipher keyCipher = this.cipher.getIfAvailable();
		List<byte[]> keys = new ArrayList<>();
		if (keyCipher != null) {
			for (IdentitySecretRepository.Stored stored : this.secrets.verifying(workspaceId)) {
				try {
					keys.add(keyCipher.decrypt(stored.secret(), IdentitySecrets.aad(workspaceId, stored.id()))
						.getBytes(StandardCharsets.UTF_8));
				}
				catch (KeyCipherException ex) {
					// a secret under a retired master key verifies nothing; the others still may
				}
			}
		}
		if (keys.isEmpty()) {
			throw refused("This workspace has no identity secret: its owner creates one first");
		}
		return keys;
	}

	static byte[] hmac(byte[] key, String userId) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

	private static ApiProblem refused(String detail) {
		return new ApiProblem(HttpStatus.FORBIDDEN, "Identity not verified", detail);
	}

}
