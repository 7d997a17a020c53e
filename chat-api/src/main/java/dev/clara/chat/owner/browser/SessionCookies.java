package dev.clara.chat.owner.browser;

import java.time.Duration;

import dev.clara.chat.owner.OwnerProperties;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * The dashboard's two cookies: the access token and the refresh token. Both HttpOnly (the page's
 * scripts never see a token), {@code SameSite=Strict} (no other site's page or link sends them),
 * {@code Path=/} (the owner API and {@code /app/api/} both read them), {@code Secure} when the
 * request came over HTTPS ({@link HttpServletRequest#isSecure()}, which follows
 * {@code server.forward-headers-strategy} behind a proxy). They live as long as the refresh token;
 * an expired access token in its cookie is only a key to the session for the refresh.
 */
@Component
class SessionCookies {

	static final String ACCESS = "clara_session";

	static final String REFRESH = "clara_refresh";

	/** Request attribute: the refresh token a refresh in this request put in place of the cookie's. */
	static final String CURRENT_REFRESH = SessionCookies.class.getName() + ".refresh";

	/** Request attribute: the access token this request is authenticated with. */
	static final String CURRENT_ACCESS = SessionCookies.class.getName() + ".access";

	private final Duration lifetime;

	SessionCookies(OwnerProperties owner) {
		this.lifetime = owner.jwt().refreshTokenTtl();
	}

	/** The cookie's value, or null; an over-long value counts as none. */
	static String read(HttpServletRequest request, String name) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return null;
		}
		for (Cookie cookie : cookies) {
			if (name.equals(cookie.getName())) {
				String value = cookie.getValue();
				return value == null || value.isEmpty() || value.length() > 8192 ? null : value;
			}
		}
		return null;
	}

	/** Sets the session's cookies (a null refresh token leaves that cookie as it is). */
	void write(HttpServletRequest request, HttpServletResponse response, SessionTokens tokens) {
		add(response, cookie(request, ACCESS, tokens.accessToken(), this.lifetime));
		if (tokens.refreshToken() != null) {
			add(response, cookie(request, REFRESH, tokens.refreshToken(), this.lifetime));
		}
		request.setAttribute(CURRENT_ACCESS, tokens.accessToken());
		if (tokens.refreshToken() != null) {
			request.setAttribute(CURRENT_REFRESH, tokens.refreshToken());
		}
		noStore(response);
	}

	/** Expires both cookies in the browser. */
	void clear(HttpServletRequest request, HttpServletResponse response) {
		add(response, cookie(request, ACCESS, "", Duration.ZERO));
		add(response, cookie(request, REFRESH, "", Duration.ZERO));
		noStore(response);
	}

	/** The refresh token of this request: a rotated one if the request refreshed, else the cookie's. */
	static String currentRefresh(HttpServletRequest request) {
		Object rotated = request.getAttribute(CURRENT_REFRESH);
		return rotated instanceof String token ? token : read(request, REFRESH);
	}

	/** The access token of this request: a refreshed one if the request refreshed, else the cookie's. */
	static String currentAccess(HttpServletRequest request) {
		Object refreshed = request.getAttribute(CURRENT_ACCESS);
		return refreshed instanceof String token ? token : read(request, ACCESS);
	}

	static ResponseCookie cookie(HttpServletRequest request, String name, String value, Duration maxAge) {
		return ResponseCookie.from(name, value)
			.httpOnly(true)
			.secure(request.isSecure())
			.sameSite("Strict")
			.path("/")
			.maxAge(maxAge)
			.build();
	}

	static void add(HttpServletResponse response, ResponseCookie cookie) {
		response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
	}

	/** A response that sets a session cookie is never cached by a browser or a proxy. */
	private static void noStore(HttpServletResponse response) {
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
	}

}
