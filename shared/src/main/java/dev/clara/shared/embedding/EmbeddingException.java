package dev.clara.shared.embedding;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * An embedding provider failed. {@link #retryable()} tells a caller whether trying the same
 * input later can succeed (rate limit, outage, time-out) or not (bad request, wrong key, unknown
 * model), so a consumer can retry the first kind and dead-letter the second.
 *
 * <p>The message never contains an API key: every reason is passed through {@link #redact} when
 * the exception is made, because provider error bodies sometimes echo part of the key.
 */
public class EmbeddingException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	// OpenAI-style keys (sk-..., sk-proj-..., sk-ant-...) and bearer tokens, however masked
	private static final Pattern KEY_LIKE = Pattern.compile("(?i)\\b(sk|rk|pk)[-_][A-Za-z0-9_*.\\-]{4,}");

	private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+\\S+");

	private final boolean retryable;

	private final String reason;

	private final int statusCode;

	public EmbeddingException(String reason, boolean retryable) {
		this(reason, retryable, 0, null);
	}

	public EmbeddingException(String reason, boolean retryable, Throwable cause) {
		this(reason, retryable, 0, cause);
	}

	/**
	 * @param statusCode the provider's HTTP status, or 0 when there was no response
	 */
	public EmbeddingException(String reason, boolean retryable, int statusCode, Throwable cause) {
		super(message(redact(reason), retryable, statusCode), cause);
		this.reason = redact(reason);
		this.retryable = retryable;
		this.statusCode = statusCode;
	}

	/** Whether the same request may succeed later. */
	public boolean retryable() {
		return this.retryable;
	}

	/** The provider's reason, short and redacted. */
	public String reason() {
		return this.reason;
	}

	/** The provider's HTTP status, when it answered with one. */
	public OptionalInt statusCode() {
		return (this.statusCode > 0) ? OptionalInt.of(this.statusCode) : OptionalInt.empty();
	}

	/** Removes anything that looks like an API key or bearer token from provider text. */
	public static String redact(String text) {
		if (text == null) {
			return "";
		}
		String withoutBearer = BEARER.matcher(text).replaceAll("Bearer [redacted]");
		return KEY_LIKE.matcher(withoutBearer).replaceAll("[redacted key]");
	}

	private static String message(String reason, boolean retryable, int statusCode) {
		String status = (statusCode > 0) ? "HTTP " + statusCode + ": " : "";
		return "Embedding failed (" + (retryable ? "retryable" : "not retryable") + "): " + status + reason;
	}

}
