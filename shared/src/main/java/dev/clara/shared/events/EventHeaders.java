package dev.clara.shared.events;

/** Kafka header names, defined once for every producer and consumer. */
public final class EventHeaders {

	/** The envelope's event id, as text. */
	public static final String EVENT_ID = "clara-event-id";

	/** The envelope's event type, for example {@code QuestionAsked}. */
	public static final String EVENT_TYPE = "clara-event-type";

	/** The payload schema's version, as text. */
	public static final String EVENT_VERSION = "clara-event-version";

	private EventHeaders() {
	}

}
