package dev.clara.chat.owner.browser;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.clara.chat.owner.OwnerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * CSRF tokens of the browser session: an HMAC of the session's id under a server key, so every
 * replica computes the same token for the same session without storing it, the token survives the
 * access token's refresh (the session id stays), and no other session's token fits. A page of
 * another site can neither read it (it comes only in a same-origin response body) nor compute it.
 */
@Component
class CsrfTokens {

	private static final Logger log = LoggerFactory.getLogger(CsrfTokens.class);

	private final SecretKeySpec key;

	CsrfTokens(BrowserProperties browser, OwnerProperties owner) {
		byte[] material;
		if (browser.csrfSecret() != null && !browser.csrfSecret().isBlank()) {
			material = browser.csrfSecret().getBytes(StandardCharsets.UTF_8);
		}
		else if (owner.jwt().hasSecret()) {
			// a key of its own, derived: the JWT secret itself never signs anything but JWTs
			material = hmac(new SecretKeySpec(owner.jwt().secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
					"clara-dashboard-csrf-key-v1");
		}
		else {
			material = new byte[32];
			new SecureRandom().nextBytes(material);
			log.warn("Dashboard sessions: no CLARA_SESSION_SECRET or CLARA_JWT_SECRET: CSRF tokens use a random key "
					+ "of this replica; with several replicas set CLARA_SESSION_SECRET");
		}
		this.key = new SecretKeySpec(material, "HmacSHA256");
	}

	/** A key of its own for another purpose ({@code label}), derived from this one. */
	byte[] derivedKey(String label) {
		return hmac(this.key, "derived-key:" + label);
	}

	/** The token of the session the verified claims belong to. */
	String tokenFor(Map<String, Object> claims) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(this.key, sessionKey(claims)));
	}

	/** Constant-time comparison of the presented token with the session's. */
	boolean matches(Map<String, Object> claims, String presented) {
		if (presented == null || presented.isEmpty() || presented.length() > 200) {
			return false;
		}
		return MessageDigest.isEqual(tokenFor(claims).getBytes(StandardCharsets.US_ASCII),
				presented.getBytes(StandardCharsets.UTF_8));
	}

	/** The session: its {@code session_id} (Clara's and Supabase's tokens carry one), else the user. */
	static String sessionKey(Map<String, Object> claims) {
		Object session = claims.get("session_id");
		if (session != null && !session.toString().isBlank()) {
			return "session:" + session;
		}
		return "user:" + claims.get("sub");
	}

	private static byte[] hmac(SecretKeySpec key, String value) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 unavailable", ex);
		}
	}

}
