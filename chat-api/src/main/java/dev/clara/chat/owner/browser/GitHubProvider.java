package dev.clara.chat.owner.browser;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Sign-in with GitHub, which speaks plain OAuth 2 (no ID token): the code (with PKCE and
 * {@code state}) buys an access token, {@code GET /user} gives the stable numeric id, and
 * {@code GET /user/emails} the addresses; only the primary address, and only when GitHub marks it
 * verified, is used. The access token is used for these two calls and then forgotten.
 */
class GitHubProvider implements OAuthProvider {

	private final OAuthProperties.GitHub settings;

	private final ProviderHttp http;

	GitHubProvider(OAuthProperties.GitHub settings, ProviderHttp http) {
		this.settings = settings;
		this.http = http;
	}

	@Override
	public String id() {
		return "github";
	}

	@Override
	public String name() {
		return "GitHub";
	}

	@Override
	public String authorizationUrl(String redirectUri, String state, String nonce, String codeChallenge) {
		return ProviderHttp.withQuery(this.settings.authorizationUri(),
				ProviderHttp.map("client_id", this.settings.clientId(), "redirect_uri", redirectUri, "scope",
						"read:user user:email", "state", state, "code_challenge", codeChallenge,
						"code_challenge_method", "S256", "allow_signup", "false"));
	}

	@Override
	public ExternalIdentity identity(String code, String codeVerifier, String nonce, String redirectUri) {
		ProviderHttp.Answer tokens = this.http.postForm(this.settings.tokenUri(),
				ProviderHttp.map("client_id", this.settings.clientId(), "client_secret",
						this.settings.clientSecret() == null ? "" : this.settings.clientSecret(), "code", code,
						"redirect_uri", redirectUri, "code_verifier", codeVerifier),
				Map.of());
		String accessToken = ProviderHttp.text(tokens.body(), "access_token");
		if (!tokens.ok() || accessToken == null) {
			throw new OAuthFailure("GitHub's token endpoint answered " + tokens.status() + " without a token");
		}
		Map<String, String> headers = Map.of("Authorization", "Bearer " + accessToken, "Accept",
				"application/vnd.github+json", "User-Agent", "Clara", "X-GitHub-Api-Version", "2022-11-28");
		ProviderHttp.Answer user = this.http.get(this.settings.apiUrl() + "/user", headers);
		JsonNode id = user.body() == null ? null : user.body().get("id");
		if (!user.ok() || id == null || !id.canConvertToLong()) {
			throw new OAuthFailure("GitHub's /user answered " + user.status() + " without an id");
		}
		ProviderHttp.Answer emails = this.http.get(this.settings.apiUrl() + "/user/emails", headers);
		String verifiedPrimary = null;
		if (emails.ok() && emails.body() != null && emails.body().isArray()) {
			for (JsonNode email : emails.body()) {
				if (email.path("primary").asBoolean(false) && email.path("verified").asBoolean(false)) {
					verifiedPrimary = ProviderHttp.text(email, "email");
				}
			}
		}
		return new ExternalIdentity(id(), this.settings.apiUrl(), Long.toString(id.asLong()), verifiedPrimary,
				verifiedPrimary != null);
	}

}
