package dev.clara.chat.owner.browser;

import java.io.IOException;
import java.text.ParseException;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import dev.clara.chat.owner.auth.OwnerAuthFilter;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets the dashboard's session cookie stand in for {@code Authorization: Bearer} on the owner API
 * and {@code /app/api/**}, right before {@link OwnerAuthFilter}, which then verifies the token
 * exactly as it verifies a bearer's (signature, expiry, role, signed-out session). A request that
 * has an {@code Authorization} header is left alone: the header wins and no CSRF token is needed
 * (a page of another site cannot set it).
 *
 * <p>For a cookie-authenticated request this filter
 * <ol>
 * <li>refuses a state change (anything but GET/HEAD/OPTIONS) from another site ({@code Origin}
 * not this origin, or {@code Sec-Fetch-Site} other than same-origin) or without
 * {@code X-CSRF-Token};</li>
 * <li>refreshes an expired access token with the refresh cookie, setting the new cookies on this
 * response (401 and cleared cookies when that fails);</li>
 * <li>compares {@code X-CSRF-Token} with the session's token in constant time (403 otherwise),
 * before any controller runs, so nothing is written.</li>
 * </ol>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 19)
class BrowserSessionFilter extends OncePerRequestFilter {

	static final String CSRF_HEADER = "X-CSRF-Token";

	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

	private final SessionBackend sessions;

	private final SessionCookies cookies;

	private final CsrfTokens csrf;

	private final SameOrigin origins;

	private final ProblemWriter problems;

	BrowserSessionFilter(SessionBackend sessions, SessionCookies cookies, CsrfTokens csrf, SameOrigin origins,
			ProblemWriter problems) {
		this.sessions = sessions;
		this.cookies = cookies;
		this.csrf = csrf;
		this.origins = origins;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		// the account endpoints (sign-in, reset, …) take no session: a cookie must not get in their way
		return !(path.startsWith("/api/owner/") || path.startsWith(OwnerAuthFilter.APP_API_PREFIX))
				|| OwnerAuthFilter.PUBLIC_PATHS.contains(path);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean stateChange = !SAFE_METHODS.contains(request.getMethod());
		String access = SessionCookies.read(request, SessionCookies.ACCESS);
		String refresh = SessionCookies.read(request, SessionCookies.REFRESH);
		boolean signIn = isSignIn(request);
		if (request.getHeader(HttpHeaders.AUTHORIZATION) != null || (access == null && refresh == null && !signIn)) {
			chain.doFilter(request, response);
			return;
		}
		if (stateChange && !this.origins.sameOrigin(request)) {
			// also the dashboard's sign-in: another site must not sign a visitor in to its account
			this.problems.write(response, HttpStatus.FORBIDDEN, "Forbidden", "Cross-site requests are refused");
			return;
		}
		if (signIn) {
			chain.doFilter(request, response);
			return;
		}
		if (stateChange && request.getHeader(CSRF_HEADER) == null) {
			csrfRefused(response);
			return;
		}
		Map<String, Object> claims = access == null ? null : unverifiedClaims(access);
		if (refresh != null && (claims == null || expired(claims))) {
			try {
				SessionTokens renewed = this.sessions.refresh(refresh, request);
				this.cookies.write(request, response, renewed);
				access = renewed.accessToken();
				claims = unverifiedClaims(access);
			}
			catch (ApiProblem problem) {
				if (problem.status() != HttpStatus.UNAUTHORIZED) {
					// 429, 503: the cookies stay for a retry
					if (problem.retryAfter() != null) {
						response.setHeader(HttpHeaders.RETRY_AFTER,
								Long.toString(Math.max(1, problem.retryAfter().toSeconds())));
					}
					this.problems.write(response, problem.status(), problem.toProblemDetail().getTitle(),
							problem.getMessage());
					return;
				}
				this.cookies.clear(request, response);
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
				this.problems.write(response, HttpStatus.UNAUTHORIZED, "Unauthorized",
						"Your session has ended: sign in again");
				return;
			}
		}
		if (claims == null) {
			// not a JWT, and nothing to refresh it with: OwnerAuthFilter answers 401
			chain.doFilter(new BearerRequest(request, access), response);
			return;
		}
		// compared against the claims before OwnerAuthFilter verifies them: the token is keyed with
		// a server secret, so a forged token's claims cannot produce a matching one
		if (stateChange && !this.csrf.matches(claims, request.getHeader(CSRF_HEADER))) {
			csrfRefused(response);
			return;
		}
		request.setAttribute(SessionCookies.CURRENT_ACCESS, access);
		chain.doFilter(new BearerRequest(request, access), response);
	}

	private static boolean isSignIn(HttpServletRequest request) {
		return "POST".equals(request.getMethod()) && OwnerAuthFilter.APP_SESSION.equals(request.getRequestURI());
	}

	private void csrfRefused(HttpServletResponse response) throws IOException {
		this.problems.write(response, HttpStatus.FORBIDDEN, "Forbidden",
				"Missing or wrong " + CSRF_HEADER + " header: reload the page");
	}

	/** The token's claims without checking it (that is OwnerAuthFilter's job), or null if it is no JWT. */
	static Map<String, Object> unverifiedClaims(String token) {
		try {
			JWTClaimsSet claims = JWTParser.parse(token).getJWTClaimsSet();
			return claims == null ? null : claims.getClaims();
		}
		catch (ParseException | RuntimeException ex) {
			return null;
		}
	}

	/** Expired by its own {@code exp}, without the verifier's clock skew: the refresh token is at hand. */
	private static boolean expired(Map<String, Object> claims) {
		Object exp = claims.get("exp");
		return exp instanceof Date date && !date.toInstant().isAfter(Instant.now());
	}

	/** The request as {@link OwnerAuthFilter} should see it: with the cookie's token as the bearer. */
	static final class BearerRequest extends HttpServletRequestWrapper {

		private final String authorization;

		BearerRequest(HttpServletRequest request, String token) {
			super(request);
			this.authorization = "Bearer " + token;
		}

		@Override
		public String getHeader(String name) {
			return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? this.authorization : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name) ? Collections.enumeration(Set.of(this.authorization))
					: super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			java.util.List<String> names = Collections.list(super.getHeaderNames());
			if (names.stream().noneMatch(HttpHeaders.AUTHORIZATION::equalsIgnoreCase)) {
				names.add(HttpHeaders.AUTHORIZATION);
			}
			return Collections.enumeration(names);
		}

	}

}
