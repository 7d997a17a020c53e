package dev.clara.chat.owner.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.clara.chat.web.ApiProblem;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The owner API's problems. Details never quote what the client sent (a request body may hold an
 * API key or a password), only which field is wrong and why.
 */
public final class OwnerProblems {

	private OwnerProblems() {
	}

	public static ApiProblem notFound(String what) {
		return new ApiProblem(HttpStatus.NOT_FOUND, "Not found", "No such " + what);
	}

	public static ApiProblem conflict(String detail) {
		return new ApiProblem(HttpStatus.CONFLICT, "Conflict", detail);
	}

	/** 422: the workspace already holds as many of something as it may. */
	public static ApiProblem limitReached(String detail) {
		return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Limit reached", detail);
	}

	public static ApiProblem unavailable(String detail) {
		return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Not configured", detail);
	}

	public static ApiProblem invalid(String field, String message) {
		return new FieldProblem(Map.of(field, message));
	}

	public static ApiProblem invalid(Map<String, String> fieldErrors) {
		return new FieldProblem(fieldErrors);
	}

	/**
	 * 422: the request is well formed but names something it cannot use (e.g. another
	 * workspace's id in a body) or would break a limit; {@code field_errors} as for 400.
	 */
	public static ApiProblem unprocessable(String field, String message) {
		return new FieldProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable request", Map.of(field, message));
	}

	/** 400 (or 422) with {@code errors} (sentences) and {@code field_errors} (field → message). */
	static final class FieldProblem extends ApiProblem {

		private final Map<String, String> fieldErrors;

		FieldProblem(Map<String, String> fieldErrors) {
			this(HttpStatus.BAD_REQUEST, "Invalid request", fieldErrors);
		}

		FieldProblem(HttpStatus status, String title, Map<String, String> fieldErrors) {
			super(status, title, sentences(fieldErrors).isEmpty() ? title : String.join("; ", sentences(fieldErrors)),
					sentences(fieldErrors), null);
			this.fieldErrors = new LinkedHashMap<>(fieldErrors);
		}

		private static List<String> sentences(Map<String, String> fieldErrors) {
			List<String> sentences = new ArrayList<>();
			fieldErrors.forEach((field, message) -> sentences.add(field + ": " + message));
			return sentences;
		}

		@Override
		public ProblemDetail toProblemDetail() {
			ProblemDetail problem = super.toProblemDetail();
			problem.setProperty("field_errors", this.fieldErrors);
			return problem;
		}

	}

}
