package dev.clara.chat.owner.auth;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.OwnerProperties;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies owners' JWTs the way Supabase issues them: HS256 with the project's JWT secret, or
 * RS256/ES256 keys from a JWKS URL. A token must be signed (never {@code alg: none}), unexpired,
 * for the configured audience, and name its user in {@code sub} (a UUID). Only
 * {@code role: authenticated} tokens may act as an owner: {@code service_role} and {@code anon}
 * tokens are valid tokens but are refused (403).
 */
public class JwtVerifier {

	private final JwtDecoder hmac;

	private final JwtDecoder jwks;

	private final String audience;

	public JwtVerifier(OwnerProperties.Jwt settings) {
		this.audience = settings.audience();
		OAuth2TokenValidator<Jwt> validator = validator(settings);
		if (settings.hasSecret()) {
			NimbusJwtDecoder decoder = NimbusJwtDecoder
				.withSecretKey(new SecretKeySpec(settings.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
				.macAlgorithm(MacAlgorithm.HS256)
				.build();
			decoder.setJwtValidator(validator);
			this.hmac = decoder;
		}
		else {
			this.hmac = null;
		}
		if (settings.hasJwks()) {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwksUrl())
				.jwsAlgorithm(SignatureAlgorithm.RS256)
				.jwsAlgorithm(SignatureAlgorithm.ES256)
				.build();
			decoder.setJwtValidator(validator);
			this.jwks = decoder;
		}
		else {
			this.jwks = null;
		}
	}

	public boolean isConfigured() {
		return this.hmac != null || this.jwks != null;
	}

	/**
	 * @return the owner the token authenticates
	 * @throws InvalidTokenException with a client-safe reason (401), or forbidden (403) for a
	 * valid token of another role
	 */
	public OwnerPrincipal verify(String token) {
		Jwt jwt = decode(token);
		Object role = jwt.getClaims().get("role");
		if (!"authenticated".equals(role)) {
			throw InvalidTokenException.forbidden(
					"Only tokens of signed-in users (role authenticated) may use the owner API");
		}
		if (jwt.getAudience() == null || !jwt.getAudience().contains(this.audience)) {
			throw new InvalidTokenException("The token is not valid: it is not for this audience");
		}
		if (jwt.getSubject() == null || jwt.getSubject().isBlank()) {
			throw new InvalidTokenException("The token is not valid: it has no subject (sub)");
		}
		UUID userId;
		try {
			userId = UUID.fromString(jwt.getSubject());
		}
		catch (RuntimeException ex) {
			throw new InvalidTokenException("The token's subject is not a user id");
		}
		Map<String, Object> claims = new LinkedHashMap<>();
		jwt.getClaims().forEach((name, value) -> claims.put(name, value instanceof Instant instant ? instant.getEpochSecond() : value));
		return new OwnerPrincipal(userId, jwt.getClaimAsString("email"), claims, null);
	}

	/**
	 * Checks an operator's token: signed, unexpired, {@code role: service_role} (Supabase's
	 * service_role key is such a token, without {@code sub} or {@code aud}).
	 */
	public void verifyServiceRole(String token) {
		Jwt jwt = decode(token);
		if (!"service_role".equals(jwt.getClaims().get("role"))) {
			throw InvalidTokenException.forbidden("This endpoint is for the service_role only");
		}
	}

	private Jwt decode(String token) {
		JwtDecoder decoder = decoderFor(token);
		try {
			return decoder.decode(token);
		}
		catch (JwtValidationException ex) {
			throw new InvalidTokenException(reason(ex));
		}
		catch (BadJwtException ex) {
			throw new InvalidTokenException("The token is malformed or its signature does not verify");
		}
		catch (JwtException ex) {
			// e.g. the JWKS URL could not be fetched: still the token is not accepted
			throw new InvalidTokenException("The token could not be verified");
		}
	}

	private JwtDecoder decoderFor(String token) {
		Algorithm alg;
		try {
			alg = JWTParser.parse(token).getHeader().getAlgorithm();
		}
		catch (ParseException | RuntimeException ex) {
			throw new InvalidTokenException("The token is not a JWT");
		}
		if (alg == null || Algorithm.NONE.equals(alg)) {
			throw new InvalidTokenException("Unsigned tokens are not accepted");
		}
		if (JWSAlgorithm.Family.HMAC_SHA.contains(alg) && this.hmac != null) {
			return this.hmac;
		}
		if (!JWSAlgorithm.Family.HMAC_SHA.contains(alg) && this.jwks != null) {
			return this.jwks;
		}
		throw new InvalidTokenException("Tokens signed with " + (JWSAlgorithm.Family.HMAC_SHA.contains(alg)
				? "a shared secret" : "a public key") + " are not accepted by this deployment");
	}

	private static String reason(JwtValidationException ex) {
		List<String> reasons = new ArrayList<>();
		for (OAuth2Error error : ex.getErrors()) {
			String description = error.getDescription();
			if (description != null && description.startsWith("Jwt expired")) {
				reasons.add("the token has expired");
			}
			else if (description != null && description.startsWith("Jwt used before")) {
				reasons.add("the token is not valid yet");
			}
			else if (description != null && !description.isBlank()) {
				reasons.add(description);
			}
		}
		return reasons.isEmpty() ? "The token is not valid" : "The token is not valid: " + String.join("; ", reasons);
	}

	static OAuth2TokenValidator<Jwt> validator(OwnerProperties.Jwt settings) {
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(new JwtTimestampValidator(settings.clockSkew()));
		validators.add(jwt -> jwt.getExpiresAt() != null ? OAuth2TokenValidatorResult.success()
				: failure("the token has no expiry (exp)"));
		if (settings.hasIssuer()) {
			JwtIssuerValidator issuer = new JwtIssuerValidator(settings.issuer());
			validators.add(jwt -> issuer.validate(jwt).hasErrors() ? failure("the token is from another issuer")
					: OAuth2TokenValidatorResult.success());
		}
		return new DelegatingOAuth2TokenValidator<>(validators);
	}

	private static OAuth2TokenValidatorResult failure(String description) {
		return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
	}

}
