package dev.clara.chat.web;

import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves as RFC 9457 problem+json. Client mistakes get their own status and a detail
 * meant for them; anything unexpected is logged here and reaches the client as a bare 500.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	@ExceptionHandler(ApiProblem.class)
	ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
		HttpHeaders headers = new HttpHeaders();
		if (problem.retryAfter() != null) {
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (problem.retryAfter().toMillis() + 999) / 1000)));
		}
		return problem(problem.status(), headers, problem.toProblemDetail());
	}

	/**
	 * A multipart body the container could not parse (no boundary, cut short); only the owner's
	 * upload endpoints parse one. (Too large is the base class's 413.)
	 */
	@ExceptionHandler(MultipartException.class)
	ResponseEntity<ProblemDetail> malformedMultipart(MultipartException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The multipart body is malformed");
		problem.setTitle("Invalid request");
		return problem(HttpStatus.BAD_REQUEST, new HttpHeaders(), problem);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex, WebRequest request) {
		ResponseEntity<ProblemDetail> malformed = malformedRequest(ex, request);
		if (malformed != null) {
			return malformed;
		}
		if (isEncodingError(ex)) {
			// the text rule (Texts) refuses such text before the database sees it; this is the backstop
			log.warn("Text the database cannot store reached it: {}", ex.getClass().getSimpleName());
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"The request holds text that cannot be stored (a character outside the database's encoding)");
			problem.setTitle("Invalid request");
			return problem(HttpStatus.BAD_REQUEST, new HttpHeaders(), problem);
		}
		log.error("Unexpected failure", ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"Something went wrong on our side; please try again");
		problem.setTitle("Internal error");
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, new HttpHeaders(), problem);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof LimitedRequest.TooLarge) {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
						"The request body is too large");
				problem.setTitle("Body too large");
				return new ResponseEntity<>(problem, problemHeaders(), HttpStatus.CONTENT_TOO_LARGE);
			}
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof StrictTextBodies.MalformedBody) {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
						"The request body is not valid UTF-8 (or not valid in the charset its Content-Type names)");
				problem.setTitle("Invalid request");
				return new ResponseEntity<>(problem, problemHeaders(), HttpStatus.BAD_REQUEST);
			}
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request body is missing or is not valid JSON");
		problem.setTitle("Invalid request");
		return new ResponseEntity<>(problem, problemHeaders(), HttpStatus.BAD_REQUEST);
	}

	/**
	 * A request the framework chokes on before any controller code runs, found by fuzzing: a
	 * Content-Type with a wildcard ({@code *}{@code /*}, {@code application/*}) on an endpoint
	 * with a body, and query or form parameters the container cannot parse (an empty name, a
	 * broken escape). Both are the client's mistake, not ours.
	 */
	private static ResponseEntity<ProblemDetail> malformedRequest(Exception ex, WebRequest request) {
		if (ex instanceof IllegalArgumentException && hasWildcardContentType(request)) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"The Content-Type must name one media type, without wildcards");
			problem.setTitle("Unsupported media type");
			return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, new HttpHeaders(), problem);
		}
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			// by name: the container's own exception type, not an API of ours to depend on
			if (cause.getClass().getName().equals("org.apache.tomcat.util.http.InvalidParameterException")) {
				ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
						"The query or form parameters are malformed");
				problem.setTitle("Invalid request");
				return problem(HttpStatus.BAD_REQUEST, new HttpHeaders(), problem);
			}
		}
		return null;
	}

	private static boolean hasWildcardContentType(WebRequest request) {
		String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return type.isWildcardType() || type.isWildcardSubtype();
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Whether PostgreSQL refused text for its encoding: SQLState 22021 (character not in
	 * repertoire: NUL, or bytes that are not UTF-8), 22P05 (untranslatable character, e.g. a
	 * NUL escaped in jsonb), or the "invalid byte sequence" message some paths give.
	 */
	static boolean isEncodingError(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				String state = sql.getSQLState();
				if ("22021".equals(state) || "22P05".equals(state)) {
					return true;
				}
			}
			String message = cause.getMessage();
			if (message != null && message.contains("invalid byte sequence")) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static HttpHeaders problemHeaders() {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return headers;
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, HttpHeaders headers,
			ProblemDetail problem) {
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return new ResponseEntity<>(problem, headers, status);
	}

}
