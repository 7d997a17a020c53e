package dev.clara.relay.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's housekeeping in the database: pruning relayed outbox rows and consumers' old
 * {@code processed_events}, and measuring how far the slot lags behind the WAL.
 */
final class Housekeeping {

	private static final Logger logger = LoggerFactory.getLogger(Housekeeping.class);

	/** Rows deleted per statement, so that pruning a large backlog never holds long locks. */
	private static final int PRUNE_BATCH = 5000;

	private static final String DELETE_OUTBOX = """
			DELETE FROM public.outbox_events WHERE id IN (
			  SELECT id FROM public.outbox_events WHERE created_at < ? ORDER BY created_at LIMIT %d)"""
		.formatted(PRUNE_BATCH);

	private static final String PRUNE_PROCESSED = "SELECT public.prune_processed_events(make_interval(secs => ?))";

	private static final String SLOT_LAG = """
			SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint
			  FROM pg_catalog.pg_replication_slots WHERE slot_name = ?""";

	private final RelaySettings settings;

	private final DataSource dataSource;

	Housekeeping(RelaySettings settings, DataSource dataSource) {
		this.settings = settings;
		this.dataSource = dataSource;
	}

	/**
	 * Deletes outbox rows older than the retention, and only rows created well before the commit
	 * of the last outbox row relayed (never one still to relay), then processed_events older than
	 * their retention.
	 * @param stopped checked between batches: pruning stops early when the relay closes
	 * @return outbox rows deleted
	 */
	long prune(BooleanSupplier stopped) throws SQLException {
		long deleted = 0;
		try (Connection c = this.dataSource.getConnection()) {
			c.setAutoCommit(true);
			RelayState.Row state = RelayState.read(c, this.settings.slotName());
			if (state == null || state.lastOutboxCommitAt() == null) {
				return 0;
			}
			Instant byRetention = Instant.now().minus(this.settings.outboxRetention());
			Instant byRelay = state.lastOutboxCommitAt().minus(this.settings.pruneSafetyMargin());
			Instant cutoff = byRetention.isBefore(byRelay) ? byRetention : byRelay;
			try (PreparedStatement ps = c.prepareStatement(DELETE_OUTBOX)) {
				ps.setTimestamp(1, Timestamp.from(cutoff));
				int n;
				do {
					n = ps.executeUpdate();
					deleted += n;
				}
				while (n == PRUNE_BATCH && !stopped.getAsBoolean());
			}
			long processed;
			try (PreparedStatement ps = c.prepareStatement(PRUNE_PROCESSED)) {
				ps.setDouble(1, this.settings.processedEventsRetention().toSeconds());
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					processed = rs.getLong(1);
				}
			}
			if (deleted > 0 || processed > 0) {
				logger.info("Pruned {} outbox rows created before {} and {} processed_events rows", deleted, cutoff,
						processed);
			}
		}
		return deleted;
	}

	/** Slot lag in bytes (current WAL position minus the slot's confirmed position), or null. */
	Long slotLagBytes() {
		try (Connection c = this.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SLOT_LAG)) {
			ps.setString(1, this.settings.slotName());
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next() ? (Long) rs.getObject(1) : null;
			}
		}
		catch (SQLException ex) {
			return null;
		}
	}

}
