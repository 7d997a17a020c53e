package dev.clara.chat.owner.browser;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Where the dashboard's sessions come from: Clara's standalone accounts, or Supabase Auth. Failures
 * are {@code ApiProblem}s with the status the contract names (401, 403, 429).
 */
interface SessionBackend {

	/** {@code standalone} or {@code supabase}, as {@code GET /app/api/session} reports it. */
	String mode();

	SessionTokens signIn(String email, String password, HttpServletRequest request);

	SessionTokens refresh(String refreshToken, HttpServletRequest request);

	/**
	 * Ends the session: its refresh token stops working.
	 *
	 * @param accessToken the session's current access token (Supabase signs out with it), may be null
	 */
	void signOut(String refreshToken, String accessToken);

}
