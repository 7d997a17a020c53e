package dev.clara.chat.owner.browser;

import java.net.URI;
import java.util.Locale;

import dev.clara.chat.config.ChatProperties;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

/**
 * Whether a state-changing request comes from the dashboard's own pages. Browsers send
 * {@code Origin} on every cross-origin request and on same-origin POST/PUT/PATCH/DELETE; it must
 * be this server's origin (as the request reached it: scheme, host and port, which follow
 * {@code server.forward-headers-strategy} behind a proxy) or that of {@code CLARA_PUBLIC_BASE_URL}.
 * {@code Sec-Fetch-Site}, when sent, must say {@code same-origin} (or {@code none}: typed by the
 * user). A request with neither header (not a browser, or a very old one) relies on the CSRF token.
 */
@Component
class SameOrigin {

	private final String publicOrigin;

	SameOrigin(ChatProperties chat) {
		this.publicOrigin = originOf(chat.publicBaseUrl());
	}

	boolean sameOrigin(HttpServletRequest request) {
		String fetchSite = request.getHeader("Sec-Fetch-Site");
		if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
			return false;
		}
		String origin = request.getHeader("Origin");
		if (origin == null) {
			return true;
		}
		String presented = origin.toLowerCase(Locale.ROOT);
		return presented.equals(requestOrigin(request)) || presented.equals(this.publicOrigin);
	}

	/** This request's own origin, {@code scheme://host[:port]} (no default port). */
	static String requestOrigin(HttpServletRequest request) {
		String scheme = request.getScheme().toLowerCase(Locale.ROOT);
		int port = request.getServerPort();
		boolean defaultPort = port <= 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
		String host = request.getServerName().toLowerCase(Locale.ROOT);
		if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
			host = "[" + host + "]";
		}
		return scheme + "://" + host + (defaultPort ? "" : ":" + port);
	}

	/** The origin of a configured URL, or null when it has none. */
	static String originOf(String url) {
		try {
			URI uri = URI.create(url);
			if (uri.getScheme() == null || uri.getHost() == null) {
				return null;
			}
			String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
			int port = uri.getPort();
			boolean defaultPort = port < 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
			return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
