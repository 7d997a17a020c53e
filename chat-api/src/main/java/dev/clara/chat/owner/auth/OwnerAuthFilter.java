package dev.clara.chat.owner.auth;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.tokens.AccessTokens;
import dev.clara.chat.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Authenticates every {@code /api/owner/**} request but sign-up/sign-in/refresh/sign-out and the
 * OpenAPI document, and every {@code /app/api/**} request but the dashboard's sign-in and its list
 * of OAuth providers (the dashboard's session cookie reaches this filter as a bearer header:
 * {@code owner.browser.BrowserSessionFilter}): {@code Authorization: Bearer <JWT>} (Supabase-style) or
 * {@code Authorization: Bearer clara_…} (a product API key). The principal goes into a request
 * attribute that controllers receive as an {@link OwnerPrincipal} parameter. Other paths (the
 * public chat API, health, static files) are not touched.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class OwnerAuthFilter extends OncePerRequestFilter {

	public static final String PRINCIPAL = OwnerAuthFilter.class.getName() + ".principal";

	static final String OWNER_PREFIX = "/api/owner/";

	/** The dashboard's own endpoints ({@code /app/api/**}): authenticated like the owner API. */
	public static final String APP_API_PREFIX = "/app/api/";

	/** Sign-in of the dashboard ({@code POST}; reading the session needs one). */
	public static final String APP_SESSION = "/app/api/session";

	/** Dashboard paths anyone may read: the sign-in page's list of OAuth providers. */
	static final Set<String> PUBLIC_APP_PATHS = Set.of("/app/api/oauth/providers");

	static final UrlPathHelper PATHS = new UrlPathHelper();

	/** Owner paths anyone may call (a session cookie plays no part in them either). */
	public static final Set<String> PUBLIC_PATHS = Set.of("/api/owner/auth/signup", "/api/owner/auth/signin",
			"/api/owner/auth/refresh", "/api/owner/auth/signout", "/api/owner/auth/confirm", "/api/owner/auth/recover",
			"/api/owner/auth/reset", "/api/owner/openapi.json");

	private final JwtVerifier jwts;

	private final AccessTokens accessTokens;

	private final ProblemWriter problems;

	private final SessionRevocations revocations;

	OwnerAuthFilter(JwtVerifier jwts, AccessTokens accessTokens, ProblemWriter problems,
			SessionRevocations revocations) {
		this.jwts = jwts;
		this.accessTokens = accessTokens;
		this.problems = problems;
		this.revocations = revocations;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// the decoded, normalised path is what handler mapping matches (/api/%6Fwner/… is /api/owner/…)
		String path = PATHS.getPathWithinApplication(request);
		String raw = request.getRequestURI();
		if (path.startsWith(APP_API_PREFIX) || raw.startsWith(APP_API_PREFIX)) {
			boolean signIn = "POST".equals(request.getMethod()) && APP_SESSION.equals(path) && APP_SESSION.equals(raw);
			return signIn || (PUBLIC_APP_PATHS.contains(path) && PUBLIC_APP_PATHS.contains(raw));
		}
		boolean owner = path.startsWith(OWNER_PREFIX) || raw.startsWith(OWNER_PREFIX);
		return !owner || (PUBLIC_PATHS.contains(path) && PUBLIC_PATHS.contains(raw));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String bearer = bearer(request);
		if (bearer == null) {
			unauthorized(response, "Sign in: send Authorization: Bearer <access token>");
			return;
		}
		OwnerPrincipal principal;
		try {
			principal = authenticate(bearer);
		}
		catch (InvalidTokenException ex) {
			if (ex.isForbidden()) {
				this.problems.write(response, HttpStatus.FORBIDDEN, "Forbidden", ex.getMessage());
			}
			else {
				unauthorized(response, ex.getMessage());
			}
			return;
		}
		request.setAttribute(PRINCIPAL, principal);
		chain.doFilter(request, response);
	}

	private OwnerPrincipal authenticate(String bearer) {
		if (AccessTokens.looksLikeAccessToken(bearer)) {
			Optional<OwnerPrincipal> owner = this.accessTokens.authenticate(bearer);
			return owner.orElseThrow(() -> new InvalidTokenException("The API key is unknown or revoked"));
		}
		if (!this.jwts.isConfigured()) {
			throw new InvalidTokenException(
					"This deployment accepts no JWTs: set CLARA_JWT_SECRET or CLARA_JWT_JWKS_URL");
		}
		OwnerPrincipal principal = this.jwts.verify(bearer);
		UUID session = sessionId(principal);
		if (session != null && this.revocations.revoked(session)) {
			throw new InvalidTokenException("The session was signed out: sign in again");
		}
		return principal;
	}

	/** The {@code session_id} claim, when it is a UUID. */
	private static UUID sessionId(OwnerPrincipal principal) {
		Object claim = principal.claims().get("session_id");
		if (claim == null) {
			return null;
		}
		try {
			return UUID.fromString(claim.toString());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private void unauthorized(HttpServletResponse response, String detail) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
		this.problems.write(response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
	}

	/** The bearer credential, or null. */
	static String bearer(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = header.substring(7).strip();
		return token.isEmpty() || token.length() > 8192 ? null : token;
	}

}
