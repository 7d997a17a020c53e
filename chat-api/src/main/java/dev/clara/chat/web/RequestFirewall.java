package dev.clara.chat.web;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Right after the body limits, before anything else: refuses request paths whose meaning
 * depends on who normalises them. Routing drops {@code ;} parameters and decodes {@code %2F} while a filter that
 * looks at the raw path does not, so {@code /api;x/chat} would reach the chat controller past a
 * check made for {@code /api/chat}. Clara has no URL that needs any of these, so every later
 * filter can trust that the raw path and the routed path are the same.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class RequestFirewall extends OncePerRequestFilter {

	/** Path parameters, encoded separators, encoded percent and NUL, back-slashes. */
	private static final Pattern FORBIDDEN_IN_PATH = Pattern.compile(";|%3b|%2f|%5c|%25|%00|%2e|\\\\");

	/** Empty, current-directory and parent-directory segments. */
	private static final Pattern DOT_SEGMENTS = Pattern.compile("//|/\\.\\.?(/|$)");

	private static final int MAX_PATH_CHARS = 2048;

	private final ProblemWriter problems;

	RequestFirewall(ProblemWriter problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!acceptable(request.getRequestURI())) {
			this.problems.write(response, HttpStatus.BAD_REQUEST, "Invalid request path",
					"The request path has characters or segments this server does not accept");
			return;
		}
		chain.doFilter(request, response);
	}

	static boolean acceptable(String rawPath) {
		if (rawPath == null || rawPath.isEmpty() || rawPath.length() > MAX_PATH_CHARS || rawPath.charAt(0) != '/') {
			return false;
		}
		for (int i = 0; i < rawPath.length(); i++) {
			char c = rawPath.charAt(i);
			if (c <= 0x20 || c >= 0x7f) {
				return false;
			}
		}
		String lower = rawPath.toLowerCase(Locale.ROOT);
		return !FORBIDDEN_IN_PATH.matcher(lower).find() && !DOT_SEGMENTS.matcher(lower).find();
	}

}
