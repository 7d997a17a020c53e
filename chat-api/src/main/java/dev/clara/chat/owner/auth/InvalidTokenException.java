package dev.clara.chat.owner.auth;

/** A bearer token that does not authenticate anyone. The message is safe to show the client. */
public class InvalidTokenException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final boolean forbidden;

	public InvalidTokenException(String message) {
		this(message, false);
	}

	InvalidTokenException(String message, boolean forbidden) {
		super(message, null, false, false);
		this.forbidden = forbidden;
	}

	/** A valid token that may not use the owner API (403 rather than 401). */
	public static InvalidTokenException forbidden(String message) {
		return new InvalidTokenException(message, true);
	}

	public boolean isForbidden() {
		return this.forbidden;
	}

}
