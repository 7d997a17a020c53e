package dev.clara.chat.owner.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.clara.chat.owner.OwnerProperties;

/**
 * Issues Supabase-shaped HS256 access tokens for Clara's standalone sign-in: {@code sub},
 * {@code role: authenticated}, {@code aud}, {@code email}, {@code exp}, {@code iat},
 * {@code session_id}; {@code iss} when configured.
 */
public class TokenIssuer {

	private final OwnerProperties.Jwt settings;

	private final MACSigner signer;

	private final Clock clock;

	public TokenIssuer(OwnerProperties.Jwt settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		MACSigner made = null;
		if (settings.hasSecret()) {
			try {
				made = new MACSigner(settings.secret().getBytes(StandardCharsets.UTF_8));
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(
						"clara.owner.jwt.secret (CLARA_JWT_SECRET) must be at least 32 bytes for HS256");
			}
		}
		this.signer = made;
	}

	public boolean canIssue() {
		return this.signer != null;
	}

	public record Issued(String token, Instant expiresAt) {
	}

	public Issued issue(UUID userId, String email, UUID sessionId) {
		if (this.signer == null) {
			throw new IllegalStateException("no JWT secret configured");
		}
		Instant now = this.clock.instant();
		Instant expires = now.plus(this.settings.accessTokenTtl());
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(userId.toString())
			.audience(this.settings.audience())
			.claim("role", "authenticated")
			.claim("email", email)
			.claim("session_id", sessionId.toString())
			.claim("aal", "aal1")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(expires))
			.jwtID(UUID.randomUUID().toString());
		if (this.settings.hasIssuer()) {
			claims.issuer(this.settings.issuer());
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
				claims.build());
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("signing failed: " + ex.getClass().getSimpleName());
		}
		return new Issued(jwt.serialize(), expires);
	}

}
