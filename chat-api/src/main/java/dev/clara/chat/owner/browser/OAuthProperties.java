package dev.clara.chat.owner.browser;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outside sign-in of the dashboard: each provider is on when its client id is set. Redirect URIs
 * are {@code CLARA_PUBLIC_BASE_URL + /app/oauth/<id>/callback}, never built from a request's Host.
 *
 * @param oidc any OpenID Connect issuer (found through its discovery document)
 * @param google Google, an OpenID Connect issuer preset
 * @param github GitHub, plain OAuth 2 and its REST API
 * @param timeout longest wait for one call to a provider
 */
@ConfigurationProperties("clara.owner.oauth")
public record OAuthProperties(@DefaultValue Oidc oidc, @DefaultValue Google google, @DefaultValue GitHub github,
		@DefaultValue("10s") Duration timeout) {

	/**
	 * @param id the provider's id in URLs ({@code /app/oauth/<id>/start}) and in linked identities
	 * @param name the sign-in button's label
	 * @param issuer the issuer URL ({@code iss}); its discovery document is
	 * {@code <issuer>/.well-known/openid-configuration}
	 * @param clientId the client registered with the issuer; blank: off
	 * @param clientSecret its secret
	 * @param scopes the scopes asked for ({@code openid} and {@code email} at least)
	 */
	public record Oidc(@DefaultValue("oidc") String id, @DefaultValue("Single sign-on") String name, String issuer,
			String clientId, String clientSecret, @DefaultValue("openid email profile") String scopes) {

		boolean enabled() {
			return present(this.clientId) && present(this.issuer);
		}

		@Override
		public String toString() {
			return "Oidc[id=" + this.id + ", issuer=" + this.issuer + ", clientId=" + this.clientId + "]";
		}

	}

	/** Google's OpenID Connect: a client of the Google Cloud console. */
	public record Google(String clientId, String clientSecret,
			@DefaultValue("https://accounts.google.com") String issuer) {

		boolean enabled() {
			return present(this.clientId);
		}

		@Override
		public String toString() {
			return "Google[clientId=" + this.clientId + "]";
		}

	}

	/**
	 * GitHub's OAuth app (or GitHub Enterprise, with its URLs).
	 *
	 * @param authorizationUri where the owner is sent to allow the sign-in
	 * @param tokenUri where the code is exchanged
	 * @param apiUrl the REST API ({@code /user}, {@code /user/emails}); also the issuer of linked identities
	 */
	public record GitHub(String clientId, String clientSecret,
			@DefaultValue("https://github.com/login/oauth/authorize") String authorizationUri,
			@DefaultValue("https://github.com/login/oauth/access_token") String tokenUri,
			@DefaultValue("https://api.github.com") String apiUrl) {

		boolean enabled() {
			return present(this.clientId);
		}

		@Override
		public String toString() {
			return "GitHub[clientId=" + this.clientId + ", apiUrl=" + this.apiUrl + "]";
		}

	}

	static boolean present(String value) {
		return value != null && !value.isBlank();
	}

}
