package dev.clara.chat.web;

import java.io.IOException;

import dev.clara.chat.config.ChatProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
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

	/** Thrown while reading a chunked body past the limit; mapped to 413. */
	static final class BodyTooLargeException extends IOException {

		BodyTooLargeException() {
			super("request body too large");
		}

	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final int maxBytes;

		LimitedRequest(HttpServletRequest request, int maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			ServletInputStream in = super.getInputStream();
			return new ServletInputStream() {

				private long read;

				@Override
				public int read() throws IOException {
					int b = in.read();
					if (b >= 0 && ++this.read > maxBytes) {
						throw new BodyTooLargeException();
					}
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					int n = in.read(buffer, offset, length);
					if (n > 0 && (this.read += n) > maxBytes) {
						throw new BodyTooLargeException();
					}
					return n;
				}

				@Override
				public boolean isFinished() {
					return in.isFinished();
				}

				@Override
				public boolean isReady() {
					return in.isReady();
				}

				@Override
				public void setReadListener(ReadListener listener) {
					in.setReadListener(listener);
				}
			};
		}

	}

}
