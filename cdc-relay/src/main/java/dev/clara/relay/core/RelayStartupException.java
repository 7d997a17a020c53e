package dev.clara.relay.core;

/**
 * The relay must not start: its replication slot and its stored offsets disagree, so starting
 * "from now" would silently lose the events committed in between. The message says what was
 * found and the exact command that recovers.
 */
public class RelayStartupException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String recoveryCommand;

	public RelayStartupException(String problem, String recoveryCommand) {
		super(problem + System.lineSeparator() + "The relay refuses to start from 'now': events committed in between would be lost."
				+ System.lineSeparator() + "To recover, stop every relay instance and run once, with the same CLARA_* environment:"
				+ System.lineSeparator() + "    " + recoveryCommand + System.lineSeparator()
				+ "It drops the replication slot and the stored offsets, creates a new slot, rebuilds the projections from the"
				+ " tables, and republishes the outbox rows created since that time and the Q&A pairs updated since then"
				+ " (consumers deduplicate by event id). Then start the relay as usual.");
		this.recoveryCommand = recoveryCommand;
	}

	/** The command to run, e.g. {@code java -jar cdc-relay.jar --replay-outbox-since=2025-01-31T11:55:00Z}. */
	public String recoveryCommand() {
		return this.recoveryCommand;
	}

}
