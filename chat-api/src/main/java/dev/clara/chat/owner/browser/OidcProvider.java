package dev.clara.chat.owner.browser;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import tools.jackson.databind.JsonNode;

/**
 * Sign-in with any OpenID Connect issuer: its discovery document names the endpoints and the key
 * set; the authorization code flow with PKCE (S256), {@code state} and {@code nonce}; the ID token
 * must be signed with one of the issuer's keys (asymmetric algorithms only), from the configured
 * issuer, for this client ({@code aud}, and {@code azp} when there are several audiences),
 * unexpired, and carry the nonce sent. Google is this class with Google's issuer.
 */
class OidcProvider implements OAuthProvider {

	private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
			JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.EdDSA);

	private final String id;

	private final String name;

	private final String issuer;

	private final String clientId;

	private final String clientSecret;

	private final String scopes;

	private final ProviderHttp http;

	private volatile Discovery discovery;

	OidcProvider(String id, String name, String issuer, String clientId, String clientSecret, String scopes,
			ProviderHttp http) {
		this.id = id;
		this.name = name;
		this.issuer = stripSlash(issuer);
		this.clientId = clientId;
		this.clientSecret = clientSecret == null ? "" : clientSecret;
		this.scopes = scopes;
		this.http = http;
	}

	/** What the discovery document says, and the issuer's keys (fetched and cached by nimbus). */
	private record Discovery(String authorizationEndpoint, String tokenEndpoint, boolean basicAuth,
			JWKSource<SecurityContext> keys) {
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String authorizationUrl(String redirectUri, String state, String nonce, String codeChallenge) {
		return ProviderHttp.withQuery(discovery().authorizationEndpoint(),
				ProviderHttp.map("response_type", "code", "client_id", this.clientId, "redirect_uri", redirectUri, "scope",
						this.scopes, "state", state, "nonce", nonce, "code_challenge", codeChallenge,
						"code_challenge_method", "S256"));
	}

	@Override
	public ExternalIdentity identity(String code, String codeVerifier, String nonce, String redirectUri) {
		Discovery found = discovery();
		Map<String, String> form = ProviderHttp.map("grant_type", "authorization_code", "code", code, "redirect_uri",
				redirectUri, "code_verifier", codeVerifier);
		Map<String, String> headers = Map.of();
		if (found.basicAuth()) {
			// RFC 6749 2.3.1: both form-encoded before Basic's encoding
			String credentials = URLEncoder.encode(this.clientId, StandardCharsets.UTF_8) + ":"
					+ URLEncoder.encode(this.clientSecret, StandardCharsets.UTF_8);
			headers = Map.of("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		else {
			form.put("client_id", this.clientId);
			form.put("client_secret", this.clientSecret);
		}
		ProviderHttp.Answer tokens = this.http.postForm(found.tokenEndpoint(), form, headers);
		String idToken = ProviderHttp.text(tokens.body(), "id_token");
		if (!tokens.ok() || idToken == null) {
			throw new OAuthFailure("the token endpoint answered " + tokens.status() + " without an ID token");
		}
		JWTClaimsSet claims = verify(idToken, nonce, found);
		Object verified = claims.getClaim("email_verified");
		boolean emailVerified = Boolean.TRUE.equals(verified) || "true".equals(verified);
		String email = claims.getClaim("email") instanceof String value ? value : null;
		return new ExternalIdentity(this.id, this.issuer, claims.getSubject(), email, emailVerified);
	}

	private JWTClaimsSet verify(String idToken, String nonce, Discovery found) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, found.keys()));
		processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(this.clientId,
				new JWTClaimsSet.Builder().issuer(this.issuer).claim("nonce", nonce).build(),
				Set.of("sub", "iat", "exp")));
		try {
			JWTClaimsSet claims = processor.process(idToken, null);
			List<String> audience = claims.getAudience();
			if (audience.size() > 1 && !this.clientId.equals(claims.getStringClaim("azp"))) {
				throw new OAuthFailure("the ID token has several audiences and another authorized party");
			}
			return claims;
		}
		catch (ParseException | BadJOSEException | JOSEException ex) {
			throw new OAuthFailure("the ID token did not verify", ex);
		}
	}

	private Discovery discovery() {
		Discovery known = this.discovery;
		if (known != null) {
			return known;
		}
		ProviderHttp.Answer answer = this.http.get(this.issuer + "/.well-known/openid-configuration", Map.of());
		JsonNode document = answer.body();
		if (!answer.ok() || document == null) {
			throw new OAuthFailure("the discovery document answered " + answer.status());
		}
		// OpenID Connect Discovery: the document's issuer must be the one it was fetched for
		if (!this.issuer.equals(stripSlash(ProviderHttp.text(document, "issuer")))) {
			throw new OAuthFailure("the discovery document names another issuer");
		}
		String authorization = ProviderHttp.text(document, "authorization_endpoint");
		String token = ProviderHttp.text(document, "token_endpoint");
		String jwks = ProviderHttp.text(document, "jwks_uri");
		if (authorization == null || token == null || jwks == null) {
			throw new OAuthFailure("the discovery document lacks an endpoint");
		}
		List<String> methods = new ArrayList<>();
		JsonNode supported = document.get("token_endpoint_auth_methods_supported");
		if (supported != null && supported.isArray()) {
			supported.forEach(method -> methods.add(method.asString()));
		}
		// the default when the document says nothing is client_secret_basic
		boolean basic = methods.isEmpty() || methods.contains("client_secret_basic")
				|| !methods.contains("client_secret_post");
		try {
			known = new Discovery(authorization, token, basic,
					JWKSourceBuilder.create(URI.create(jwks).toURL()).retrying(true).build());
		}
		catch (MalformedURLException | IllegalArgumentException ex) {
			throw new OAuthFailure("the discovery document's jwks_uri is not a URL", ex);
		}
		this.discovery = known;
		return known;
	}

	private static String stripSlash(String url) {
		return url == null ? null : url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
