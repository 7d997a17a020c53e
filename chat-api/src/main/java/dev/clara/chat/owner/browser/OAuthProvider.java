package dev.clara.chat.owner.browser;

/** One outside sign-in: where the owner is sent, and who they are once they come back with a code. */
interface OAuthProvider {

	String id();

	String name();

	/** The provider's page that asks the owner to sign in (authorization code flow with PKCE). */
	String authorizationUrl(String redirectUri, String state, String nonce, String codeChallenge);

	/**
	 * Exchanges the code and says who signed in.
	 *
	 * @throws OAuthFailure when the exchange, a signature or a claim is not right
	 */
	ExternalIdentity identity(String code, String codeVerifier, String nonce, String redirectUri);

	/**
	 * Who signed in, as the provider vouches for it.
	 *
	 * @param issuer the identity's namespace (an OIDC {@code iss}, GitHub's API URL)
	 * @param subject the provider's stable id of the user
	 * @param email the e-mail address the provider reports, or null
	 * @param emailVerified whether the provider says the address is verified (only then is it used)
	 */
	record ExternalIdentity(String provider, String issuer, String subject, String email, boolean emailVerified) {
	}

	/** A failed sign-in at the provider; {@code reason} is logged, never shown. */
	final class OAuthFailure extends RuntimeException {

		OAuthFailure(String reason) {
			super(reason, null, false, false);
		}

		OAuthFailure(String reason, Throwable cause) {
			super(reason + ": " + cause.getClass().getSimpleName(), null, false, false);
		}

	}

}
