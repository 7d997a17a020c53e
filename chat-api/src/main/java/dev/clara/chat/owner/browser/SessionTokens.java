package dev.clara.chat.owner.browser;

/**
 * What a sign-in or refresh hands the browser session: the access token and, unless the refresh
 * reused a recently rotated token, a new refresh token (null: keep the cookie as it is). These
 * values only ever travel in cookies, never in a response body.
 */
record SessionTokens(String accessToken, String refreshToken) {

	@Override
	public String toString() {
		return "SessionTokens[(hidden)]";
	}

}
