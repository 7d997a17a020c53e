package dev.clara.chat.owner.web;

import java.io.IOException;

import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.web.LimitedRequest;
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
 * Body limits of the owner API, which differ from the public chat's 16 KiB: a CSV file or an image
 * is larger than a chat message. Requests over the declared limit get 413 before anything reads
 * them; multipart bodies are also bounded by {@code spring.servlet.multipart.*} and stream to disk.
 * The public chat's {@code BodySizeLimitFilter} leaves {@code /api/owner/} to this one.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class OwnerBodyLimitFilter extends OncePerRequestFilter {

	private static final org.springframework.web.util.UrlPathHelper PATHS = new org.springframework.web.util.UrlPathHelper();

	private final long jsonLimit;

	private final long csvLimit;

	private final long assetLimit;

	OwnerBodyLimitFilter(OwnerProperties properties) {
		this.jsonLimit = properties.maxJsonBytes().toBytes();
		// multipart framing adds a little around the file
		this.csvLimit = properties.csv().maxBytes().toBytes() + 64 * 1024;
		this.assetLimit = properties.assets().maxBytes().toBytes() + 64 * 1024;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !PATHS.getPathWithinApplication(request).startsWith("/api/owner/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = PATHS.getPathWithinApplication(request);
		long limit = path.startsWith("/api/owner/qa-pairs/imports") ? this.csvLimit
				: path.startsWith("/api/owner/assets/") ? this.assetLimit : this.jsonLimit;
		if (request.getContentLengthLong() > limit) {
			response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
			response.setContentType("application/problem+json");
			response.getWriter()
				.write("{\"type\":\"https://clara.dev/problems/body-too-large\",\"title\":\"Body too large\","
						+ "\"status\":413,\"detail\":\"The request body must be at most " + limit + " bytes\"}");
			return;
		}
		chain.doFilter(new LimitedRequest(request, limit), response);
	}

}
