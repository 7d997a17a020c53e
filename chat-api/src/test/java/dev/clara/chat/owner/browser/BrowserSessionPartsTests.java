package dev.clara.chat.owner.browser;

import java.util.Map;

import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.owner.OwnerProperties;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The session's pure parts: CSRF tokens, the OAuth state cookie, the same-origin rule. */
class BrowserSessionPartsTests {

	private static final OwnerProperties OWNER = bind("clara.owner", OwnerProperties.class,
			Map.of("clara.owner.jwt.secret", "parts-test-jwt-secret-0123456789abcdef"));

	private static final BrowserProperties BROWSER = bind("clara.owner.browser", BrowserProperties.class, Map.of());

	private final CsrfTokens csrf = new CsrfTokens(BROWSER, OWNER);

	@Test
	void aCsrfTokenFitsItsSessionOnlyAndSurvivesAnotherAccessTokenOfIt() {
		Map<String, Object> session = Map.of("sub", "u1", "session_id", "s1", "jti", "first");
		Map<String, Object> refreshed = Map.of("sub", "u1", "session_id", "s1", "jti", "second");
		Map<String, Object> other = Map.of("sub", "u1", "session_id", "s2");
		String token = this.csrf.tokenFor(session);
		assertThat(this.csrf.matches(refreshed, token)).isTrue();
		assertThat(this.csrf.matches(other, token)).isFalse();
		assertThat(this.csrf.matches(session, null)).isFalse();
		assertThat(this.csrf.matches(session, "")).isFalse();
		assertThat(this.csrf.matches(session, token + "x")).isFalse();
		// another server key: another token
		OwnerProperties otherSecret = bind("clara.owner", OwnerProperties.class,
				Map.of("clara.owner.jwt.secret", "another-jwt-secret-0123456789abcdefghij"));
		assertThat(new CsrfTokens(BROWSER, otherSecret).tokenFor(session)).isNotEqualTo(token);
	}

	@Test
	void theOAuthStateCookieRoundTripsAndAnyChangeOrAnotherKeyLosesIt() {
		OAuthState states = new OAuthState(this.csrf);
		OAuthState.Started started = states.start("google");
		MockHttpServletRequest request = new MockHttpServletRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		states.write(request, response, started);
		String setCookie = response.getHeader("Set-Cookie");
		assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/app/oauth/")
			.doesNotContain(started.verifier()).doesNotContain(started.state());
		String value = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));

		assertThat(states.read(withCookie(value))).isEqualTo(started);
		char flipped = value.charAt(20) == 'A' ? 'B' : 'A';
		assertThat(states.read(withCookie(value.substring(0, 20) + flipped + value.substring(21)))).isNull();
		OwnerProperties otherSecret = bind("clara.owner", OwnerProperties.class,
				Map.of("clara.owner.jwt.secret", "another-jwt-secret-0123456789abcdefghij"));
		assertThat(new OAuthState(new CsrfTokens(BROWSER, otherSecret)).read(withCookie(value))).isNull();
		assertThat(OAuthState.sameState(started, started.state())).isTrue();
		assertThat(OAuthState.sameState(started, started.state() + "x")).isFalse();
		assertThat(OAuthState.sameState(started, null)).isFalse();
		assertThat(started.challenge()).hasSize(43).doesNotContain("=");
	}

	@Test
	void aChangeIsSameOriginOnlyFromThisServerOrThePublicBaseUrl() {
		SameOrigin origins = new SameOrigin(bind("clara.chat", ChatProperties.class,
				Map.of("clara.chat.public-base-url", "https://clara.example.com/")));
		assertThat(origins.sameOrigin(request(null, null))).isTrue();
		assertThat(origins.sameOrigin(request("http://localhost:8080", null))).isTrue();
		assertThat(origins.sameOrigin(request("https://clara.example.com", "same-origin"))).isTrue();
		assertThat(origins.sameOrigin(request("https://evil.example", null))).isFalse();
		assertThat(origins.sameOrigin(request("null", null))).isFalse();
		assertThat(origins.sameOrigin(request("http://localhost:8081", null))).isFalse();
		assertThat(origins.sameOrigin(request(null, "cross-site"))).isFalse();
		assertThat(origins.sameOrigin(request(null, "same-site"))).isFalse();
	}

	private static MockHttpServletRequest request(String origin, String fetchSite) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/owner/workspace");
		request.setServerName("localhost");
		request.setServerPort(8080);
		if (origin != null) {
			request.addHeader("Origin", origin);
		}
		if (fetchSite != null) {
			request.addHeader("Sec-Fetch-Site", fetchSite);
		}
		return request;
	}

	private static MockHttpServletRequest withCookie(String value) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setCookies(new Cookie(OAuthState.COOKIE, value));
		return request;
	}

	private static <T> T bind(String prefix, Class<T> type, Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate(prefix, type);
	}

}
