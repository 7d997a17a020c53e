package dev.clara.chat.web;

import java.io.IOException;

import dev.clara.chat.config.ChatProperties;
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
 * Bounds the body of every request outside the owner API (the public chat, the widget, unknown
 * paths alike) before anything reads it: 413 by the declared length when there is one, and by
 * counting ({@link LimitedRequest}) when the body is chunked. Runs first, before any filter of
 * Spring's that could read a body, and looks at the raw path: a path that only routing would
 * normalise to {@code /api/owner/…} (a {@code ;} parameter, a dot segment) gets this, the smallest
 * limit, and {@link RequestFirewall} refuses it next. Multipart is refused outright here: the
 * servlet container parses parts itself, to disk, past any wrapper of ours.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class BodySizeLimitFilter extends OncePerRequestFilter {

	private final int maxBytes;

	private final ProblemWriter problems;

	BodySizeLimitFilter(ChatProperties properties, ProblemWriter problems) {
		this.maxBytes = properties.maxBodyBytes();
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// the owner API has its own, larger limits (CSV files, images): OwnerBodyLimitFilter
		return request.getRequestURI().startsWith("/api/owner/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (LimitedRequest.isMultipart(request)) {
			this.problems.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
					"This endpoint does not accept multipart bodies");
			return;
		}
		if (request.getContentLengthLong() > this.maxBytes) {
			this.problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "Body too large",
					"The request body must be at most " + this.maxBytes + " bytes");
			return;
		}
		chain.doFilter(new LimitedRequest(request, this.maxBytes), response);
	}

}
