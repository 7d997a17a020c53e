package dev.clara.chat.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A client-caused failure that becomes an RFC 9457 problem+json response. Its detail is written
 * for the client: never a stack trace, never a secret.
 */
public class ApiProblem extends RuntimeException {

	private final HttpStatus status;

	private final String title;

	private final List<String> errors;

	private final Duration retryAfter;

	public ApiProblem(HttpStatus status, String title, String detail) {
		this(status, title, detail, List.of(), null);
	}

	public ApiProblem(HttpStatus status, String title, String detail, List<String> errors, Duration retryAfter) {
		super(detail, null, false, false);
		this.status = status;
		this.title = title;
		this.errors = List.copyOf(errors);
		this.retryAfter = retryAfter;
	}

	public static ApiProblem invalid(List<String> errors) {
		return new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid request", String.join("; ", errors), errors, null);
	}

	public HttpStatus status() {
		return this.status;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

	public ProblemDetail toProblemDetail() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(this.status, getMessage());
		problem.setTitle(this.title);
		problem.setType(URI.create("https://clara.dev/problems/" + this.title.toLowerCase().replace(' ', '-')));
		if (!this.errors.isEmpty()) {
			problem.setProperty("errors", this.errors);
		}
		return problem;
	}

}
