package dev.clara.relay.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Before Debezium is (re)started: do the relay's bookkeeping, its replication slot and Debezium's
 * stored offsets tell one story? Debezium on its own would start streaming from "now" when its
 * offsets are gone, or create a fresh slot when the slot is gone, and the events in between would
 * be lost without a word. Here either case fails loudly with the recovery command instead.
 */
final class StartupCheck {

	/** What to do. */
	enum Verdict {

		/** Nothing yet: create the slot and bootstrap. */
		FRESH,
		/** A bootstrap was interrupted: redo it (nothing of it was streamed yet). */
		REDO_BOOTSTRAP,
		/** Slot and offsets agree: stream. */
		STREAM

	}

	/** A margin before the last relayed event, for the suggested replay time. */
	private static final Duration REPLAY_MARGIN = Duration.ofMinutes(5);

	private StartupCheck() {
	}

	static Verdict check(Connection c, RelaySettings settings) throws SQLException {
		String slotName = settings.slotName();
		RelayState.Row state = RelayState.read(c, slotName);
		RelayState.Slot slot = RelayState.slot(c, slotName);
		RelayState.Offsets offsets = RelayState.offsets(c, settings);
		String database = RelayState.currentDatabase(c);
		if (slot != null && !database.equals(slot.database())) {
			throw new IllegalStateException("Replication slot '" + slotName + "' belongs to database '" + slot.database()
					+ "', not '" + database + "': give this relay a slot name of its own (clara.relay.slot-name)");
		}
		if (state != null && state.bootstrapping()) {
			return Verdict.REDO_BOOTSTRAP;
		}
		if (state == null) {
			if (slot == null && offsets == null) {
				return Verdict.FRESH;
			}
			throw mismatch(settings, state, (slot != null)
					? "Replication slot '" + slotName + "' exists" + ((offsets != null) ? " and offsets are stored" : "")
							+ " but cdc.relay_state has no row for it (the relay's bookkeeping was lost, or the slot is not this relay's)."
					: "Debezium offsets are stored in " + RelaySettings.OFFSET_TABLE + " but replication slot '" + slotName
							+ "' does not exist (the slot was lost).");
		}
		if (slot == null) {
			throw mismatch(settings, state, "Replication slot '" + slotName + "' does not exist, but the relay streamed from it"
					+ ((offsets != null) ? " and its offsets are stored" : "")
					+ " (the slot was dropped, or the database was restored without it).");
		}
		long confirmed = (slot.confirmedFlushLsn() != null) ? slot.confirmedFlushLsn() : 0L;
		if (offsets == null) {
			long consistent = (state.consistentLsn() != null) ? state.consistentLsn() : 0L;
			if (Long.compareUnsigned(confirmed, consistent) > 0) {
				throw mismatch(settings, state, "Replication slot '" + slotName + "' has confirmed up to " + Lsn.format(confirmed)
						+ " but no Debezium offsets are stored in " + RelaySettings.OFFSET_TABLE + " (the offsets were lost).");
			}
			return Verdict.STREAM; // the slot never moved past the bootstrap: Debezium starts at its consistent point
		}
		if (Long.compareUnsigned(confirmed, offsets.max()) > 0) {
			throw mismatch(settings, state, "Replication slot '" + slotName + "' has confirmed up to " + Lsn.format(confirmed)
					+ " but the stored offsets stop at " + Lsn.format(offsets.max())
					+ " (the offsets are older than the slot: restored from a backup, or the slot was recreated).");
		}
		return Verdict.STREAM;
	}

	private static RelayStartupException mismatch(RelaySettings settings, RelayState.Row state, String problem) {
		return new RelayStartupException("Offsets and replication slot disagree. " + problem,
				recoveryCommand(suggestedReplayTime(settings, state)));
	}

	static String recoveryCommand(Instant since) {
		return "java -jar cdc-relay.jar --replay-outbox-since=" + since.truncatedTo(ChronoUnit.SECONDS);
	}

	/** A few minutes before the last outbox row known relayed, or the whole retention when unknown. */
	static Instant suggestedReplayTime(RelaySettings settings, RelayState.Row state) {
		if (state != null && state.lastOutboxCommitAt() != null) {
			return state.lastOutboxCommitAt().minus(REPLAY_MARGIN);
		}
		if (state != null && state.lastEventAt() != null) {
			return state.lastEventAt().minus(REPLAY_MARGIN);
		}
		return Instant.now().minus(settings.outboxRetention());
	}

}
