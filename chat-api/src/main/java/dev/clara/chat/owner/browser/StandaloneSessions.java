package dev.clara.chat.owner.browser;

import dev.clara.chat.owner.auth.AuthService;
import jakarta.servlet.http.HttpServletRequest;

/** Sessions of Clara's own accounts: the rules, throttles and tokens of {@link AuthService}. */
class StandaloneSessions implements SessionBackend {

	private final AuthService auth;

	private final BrowserProperties properties;

	StandaloneSessions(AuthService auth, BrowserProperties properties) {
		this.auth = auth;
		this.properties = properties;
	}

	@Override
	public String mode() {
		return "standalone";
	}

	@Override
	public SessionTokens signIn(String email, String password, HttpServletRequest request) {
		AuthService.Session session = this.auth.signIn(email, password, request);
		return new SessionTokens(session.accessToken(), session.refreshToken());
	}

	@Override
	public SessionTokens refresh(String refreshToken, HttpServletRequest request) {
		AuthService.Session session = this.auth.refresh(refreshToken, request, this.properties.refreshReuseGrace());
		return new SessionTokens(session.accessToken(), session.refreshToken());
	}

	/** By the refresh token; without one (the cookie was lost), by the access token's session. */
	@Override
	public void signOut(String refreshToken, String accessToken) {
		if (refreshToken != null) {
			this.auth.signOut(refreshToken);
			return;
		}
		java.util.Map<String, Object> claims = accessToken == null ? null
				: BrowserSessionFilter.unverifiedClaims(accessToken);
		if (claims != null && claims.get("session_id") != null && claims.get("sub") != null) {
			try {
				this.auth.signOutSessionById(java.util.UUID.fromString(claims.get("session_id").toString()),
						java.util.UUID.fromString(claims.get("sub").toString()));
			}
			catch (IllegalArgumentException notUuids) {
				// not a session Clara can name: nothing to revoke
			}
		}
	}

}
