package dev.clara.shared.events;

/**
 * A record value is not an event this consumer can read: not JSON, a missing or malformed
 * field, another event type, or a version it does not know. Retrying cannot help, so consumers
 * send such records to the dead-letter topic.
 */
public class InvalidEventException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public InvalidEventException(String message) {
		super(message);
	}

	public InvalidEventException(String message, Throwable cause) {
		super(message, cause);
	}

}
