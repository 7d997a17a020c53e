package dev.clara.chat.owner.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.OwnerProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Asymmetric tokens from a JWKS URL (Supabase's newer signing keys), next to or instead of HS256. */
class JwtVerifierTests {

	static final String SECRET = "a-test-secret-that-is-at-least-32-bytes";

	static HttpServer server;

	static RSAKey rsa;

	static ECKey ec;

	@BeforeAll
	static void jwks() throws Exception {
		rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
		ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
		byte[] body = new JWKSet(java.util.List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString()
			.getBytes(StandardCharsets.UTF_8);
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/jwks.json", exchange -> {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
	}

	@AfterAll
	static void stop() {
		server.stop(0);
	}

	static OwnerProperties.Jwt settings(String secret, String jwks) {
		return new OwnerProperties.Jwt(secret, jwks, "authenticated", null, Duration.ofHours(1), Duration.ofDays(30),
				Duration.ofSeconds(30));
	}

	static String jwksUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
	}

	static JWTClaimsSet claims(UUID user) {
		return new JWTClaimsSet.Builder().subject(user.toString())
			.audience("authenticated")
			.claim("role", "authenticated")
			.claim("email", "a@example.test")
			.expirationTime(Date.from(Instant.now().plusSeconds(600)))
			.build();
	}

	static String sign(JWSHeader header, JWTClaimsSet claims, com.nimbusds.jose.JWSSigner signer) throws JOSEException {
		SignedJWT jwt = new SignedJWT(header, claims);
		jwt.sign(signer);
		return jwt.serialize();
	}

	@Test
	void rs256AndEs256TokensFromTheJwksAreAccepted() throws Exception {
		JwtVerifier verifier = new JwtVerifier(settings(null, jwksUrl()));
		UUID user = UUID.randomUUID();
		String rs = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims(user), new RSASSASigner(rsa));
		String es = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims(user), new ECDSASigner(ec));
		assertThat(verifier.verify(rs).userId()).isEqualTo(user);
		assertThat(verifier.verify(es).userId()).isEqualTo(user);
		assertThat(verifier.verify(rs).claims()).containsEntry("email", "a@example.test");
	}

	@Test
	void aKeyNotInTheJwksIsRefused() throws Exception {
		JwtVerifier verifier = new JwtVerifier(settings(null, jwksUrl()));
		RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
		String forged = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims(UUID.randomUUID()),
				new RSASSASigner(stranger));
		assertThatThrownBy(() -> verifier.verify(forged)).isInstanceOf(InvalidTokenException.class);
	}

	@Test
	void withOnlyAJwksHs256TokensAreRefusedAndWithOnlyASecretAsymmetricOnesAre() throws Exception {
		UUID user = UUID.randomUUID();
		String hs = sign(new JWSHeader(JWSAlgorithm.HS256), claims(user), new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
		String rs = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims(user), new RSASSASigner(rsa));
		assertThatThrownBy(() -> new JwtVerifier(settings(null, jwksUrl())).verify(hs))
			.isInstanceOf(InvalidTokenException.class)
			.hasMessageContaining("not accepted by this deployment");
		assertThatThrownBy(() -> new JwtVerifier(settings(SECRET, null)).verify(rs))
			.isInstanceOf(InvalidTokenException.class);
		JwtVerifier both = new JwtVerifier(settings(SECRET, jwksUrl()));
		assertThat(both.verify(hs).userId()).isEqualTo(user);
		assertThat(both.verify(rs).userId()).isEqualTo(user);
	}

	@Test
	void anHs256TokenWithThePublicKeyAsSecretIsRefused() throws Exception {
		// the classic algorithm confusion: HS256 "signed" with the RSA public key
		JwtVerifier verifier = new JwtVerifier(settings(null, jwksUrl()));
		String confused = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims(UUID.randomUUID()),
				new MACSigner(rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
		assertThatThrownBy(() -> verifier.verify(confused)).isInstanceOf(InvalidTokenException.class);
	}

	@Test
	void issuedTokensVerify() throws IOException {
		OwnerProperties.Jwt settings = settings(SECRET, null);
		TokenIssuer issuer = new TokenIssuer(settings, java.time.Clock.systemUTC());
		UUID user = UUID.randomUUID();
		TokenIssuer.Issued issued = issuer.issue(user, "me@example.test", UUID.randomUUID());
		OwnerPrincipal principal = new JwtVerifier(settings).verify(issued.token());
		assertThat(principal.userId()).isEqualTo(user);
		assertThat(principal.claims()).containsEntry("role", "authenticated").containsEntry("email", "me@example.test");
		assertThat(principal.toString()).doesNotContain("me@example.test");
	}

	@Test
	void aShortSecretCannotIssue() {
		assertThatThrownBy(() -> new TokenIssuer(settings("too short", null), java.time.Clock.systemUTC()))
			.isInstanceOf(IllegalStateException.class);
	}

}
