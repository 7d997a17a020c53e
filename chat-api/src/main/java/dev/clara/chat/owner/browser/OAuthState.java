package dev.clara.chat.owner.browser;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * What a sign-in started at {@code /app/oauth/<id>/start} must find again at its callback: the
 * provider, {@code state}, {@code nonce} and the PKCE verifier. It travels in a cookie of its own,
 * encrypted and authenticated (AES-256-GCM under a server key), so any replica can finish the
 * sign-in and nobody can read or forge it. {@code SameSite=Lax}: the callback is a top-level
 * navigation from the provider's site, which a Strict cookie would not accompany; {@code Path}
 * limits it to {@code /app/oauth/}; it lasts 10 minutes and is cleared by the callback.
 */
@Component
class OAuthState {

	static final String COOKIE = "clara_oauth";

	static final Duration LIFETIME = Duration.ofMinutes(10);

	private final SecretKeySpec key;

	private final SecureRandom random = new SecureRandom();

	OAuthState(CsrfTokens keys) {
		this.key = new SecretKeySpec(keys.derivedKey("oauth-state-v1"), "AES");
	}

	/** A started sign-in. */
	record Started(String provider, String state, String nonce, String verifier, long expiresAt) {

		String challenge() {
			try {
				byte[] digest = MessageDigest.getInstance("SHA-256").digest(this.verifier.getBytes(StandardCharsets.US_ASCII));
				return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	Started start(String provider) {
		return new Started(provider, randomText(), randomText(), randomText(),
				Instant.now().plus(LIFETIME).getEpochSecond());
	}

	void write(HttpServletRequest request, HttpServletResponse response, Started started) {
		String plain = String.join("\n", started.provider(), started.state(), started.nonce(), started.verifier(),
				Long.toString(started.expiresAt()));
		SessionCookies.add(response, cookie(request, seal(plain), LIFETIME));
	}

	void clear(HttpServletRequest request, HttpServletResponse response) {
		SessionCookies.add(response, cookie(request, "", Duration.ZERO));
	}

	/** The sign-in this browser started, if its cookie is intact and unexpired; else null. */
	Started read(HttpServletRequest request) {
		String sealed = SessionCookies.read(request, COOKIE);
		String plain = sealed == null ? null : open(sealed);
		if (plain == null) {
			return null;
		}
		String[] parts = plain.split("\n", -1);
		if (parts.length != 5) {
			return null;
		}
		Started started = new Started(parts[0], parts[1], parts[2], parts[3], Long.parseLong(parts[4]));
		return Instant.now().getEpochSecond() > started.expiresAt() ? null : started;
	}

	/** Constant-time comparison of the {@code state} that came back with the one sent. */
	static boolean sameState(Started started, String returned) {
		return returned != null && MessageDigest.isEqual(started.state().getBytes(StandardCharsets.UTF_8),
				returned.getBytes(StandardCharsets.UTF_8));
	}

	private static ResponseCookie cookie(HttpServletRequest request, String value, Duration maxAge) {
		return ResponseCookie.from(COOKIE, value)
			.httpOnly(true)
			.secure(request.isSecure())
			.sameSite("Lax")
			.path("/app/oauth/")
			.maxAge(maxAge)
			.build();
	}

	private String randomText() {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private String seal(String plain) {
		try {
			byte[] iv = new byte[12];
			this.random.nextBytes(iv);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.key, new GCMParameterSpec(128, iv));
			byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding()
				.encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM unavailable", ex);
		}
	}

	private String open(String sealed) {
		try {
			byte[] bytes = Base64.getUrlDecoder().decode(sealed);
			if (bytes.length < 12 + 16) {
				return null;
			}
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, this.key, new GCMParameterSpec(128, bytes, 0, 12));
			return new String(cipher.doFinal(bytes, 12, bytes.length - 12), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return null; // altered, from another key, or not ours
		}
	}

}
