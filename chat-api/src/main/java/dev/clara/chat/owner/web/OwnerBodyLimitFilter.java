package dev.clara.chat.owner.web;

import java.io.IOException;

import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.web.LimitedRequest;
import dev.clara.chat.web.ProblemWriter;
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
 * them; multipart bodies (only on the upload endpoints: CSV import, assets, documents, transcripts, parsed only once the owner is
 * authenticated: {@code spring.servlet.multipart.resolve-lazily}) are also bounded by
 * {@code spring.servlet.multipart.*} and stream to disk. The public {@code BodySizeLimitFilter}
 * leaves {@code /api/owner/} to this one.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class OwnerBodyLimitFilter extends OncePerRequestFilter {

	private static final String IMPORTS = "/api/owner/qa-pairs/imports";

	private static final String ASSETS = "/api/owner/assets/";

	private static final String TRANSCRIPTS = "/api/owner/transcripts";

	private static final java.util.regex.Pattern DOCUMENT_UPLOAD = java.util.regex.Pattern
		.compile("/api/owner/documents(/[^/]+/versions)?");

	private final ProblemWriter problems;

	private final long jsonLimit;

	private final long csvLimit;

	private final long assetLimit;

	private final long documentLimit;

	private final long transcriptLimit;

	OwnerBodyLimitFilter(OwnerProperties properties, ProblemWriter problems) {
		this.problems = problems;
		this.jsonLimit = properties.maxJsonBytes().toBytes();
		// multipart framing adds a little around the file
		this.csvLimit = properties.csv().maxBytes().toBytes() + 64 * 1024;
		this.assetLimit = properties.assets().maxBytes().toBytes() + 64 * 1024;
		this.documentLimit = properties.documents().maxBytes().toBytes() + 64 * 1024;
		this.transcriptLimit = properties.transcripts().maxBytes().toBytes() + 64 * 1024;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// the raw path: RequestFirewall, next, refuses any path whose routed form would differ
		return !request.getRequestURI().startsWith("/api/owner/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI();
		boolean transcript = "POST".equals(request.getMethod()) && TRANSCRIPTS.equals(path);
		boolean upload = path.startsWith(IMPORTS) || path.startsWith(ASSETS) || isDocumentUpload(request) || transcript;
		if (!upload && LimitedRequest.isMultipart(request)) {
			// the container parses parts itself, to disk: only the upload endpoints may have them
			this.problems.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
					"This endpoint does not accept multipart bodies");
			return;
		}
		long limit = path.startsWith(IMPORTS) ? this.csvLimit
				: path.startsWith(ASSETS) ? this.assetLimit : isDocumentUpload(request) ? this.documentLimit
						: transcript ? this.transcriptLimit : this.jsonLimit;
		if (request.getContentLengthLong() > limit) {
			this.problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "Body too large",
					"The request body must be at most " + limit + " bytes");
			return;
		}
		chain.doFilter(new LimitedRequest(request, limit), response);
	}

	/** {@code POST /api/owner/documents} and {@code POST /api/owner/documents/{id}/versions}. */
	private static boolean isDocumentUpload(HttpServletRequest request) {
		String path = request.getRequestURI();
		return "POST".equals(request.getMethod()) && DOCUMENT_UPLOAD.matcher(path).matches();
	}

}
