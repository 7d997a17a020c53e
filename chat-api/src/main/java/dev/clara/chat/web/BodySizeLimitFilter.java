package dev.clara.chat.web;

import java.io.IOException;

import dev.clara.chat.config.ChatProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rejects request bodies over the limit with 413 before anything reads them: by the declared
 * length when there is one, and by counting when the body is chunked.
 */
@Component
class BodySizeLimitFilter extends OncePerRequestFilter {

	private final int maxBytes;

	BodySizeLimitFilter(ChatProperties properties) {
		this.maxBytes = properties.maxBodyBytes();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// the owner API has its own, larger limits (CSV files, images): OwnerBodyLimitFilter
		String uri = request.getRequestURI();
		return !uri.startsWith("/api/") || uri.startsWith("/api/owner/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.maxBytes) {
			writeTooLarge(response);
			return;
		}
		chain.doFilter(new LimitedRequest(request, this.maxBytes), response);
	}

	void writeTooLarge(HttpServletResponse response) throws IOException {
		response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getWriter()
			.write("{\"type\":\"https://clara.dev/problems/body-too-large\",\"title\":\"Body too large\",\"status\":413,"
					+ "\"detail\":\"The request body must be at most " + this.maxBytes + " bytes\"}");
	}

}
