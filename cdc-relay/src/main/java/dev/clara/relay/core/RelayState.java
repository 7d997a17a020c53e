package dev.clara.relay.core;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The relay's row of {@code cdc.relay_state}, and the other facts the start-up check compares:
 * the replication slot and the stored Debezium offsets.
 */
public final class RelayState {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private RelayState() {
	}

	/** The relay's bookkeeping row. */
	public record Row(String phase, Long consistentLsn, Instant replaySince, String projectionModel,
			Instant lastEventAt, Instant lastOutboxCommitAt) {

		public boolean bootstrapping() {
			return "bootstrapping".equals(this.phase);
		}

	}

	/** The replication slot as pg_replication_slots shows it. */
	public record Slot(String database, boolean active, Integer activePid, Long confirmedFlushLsn, Long restartLsn) {
	}

	/** The LSNs of Debezium's stored offset. */
	public record Offsets(long commitLsn, long processedLsn, long lsn) {

		public long max() {
			return Math.max(this.commitLsn, Math.max(this.processedLsn, this.lsn));
		}

	}

	public static Row read(Connection c, String slot) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("""
				SELECT phase, consistent_lsn::text, replay_since, projection_model, last_event_at, last_outbox_commit_at
				  FROM cdc.relay_state WHERE slot_name = ?""")) {
			ps.setString(1, slot);
			try (ResultSet rs = ps.executeQuery()) {
				if (!rs.next()) {
					return null;
				}
				String lsn = rs.getString(2);
				return new Row(rs.getString(1), (lsn != null) ? Lsn.parse(lsn) : null, instant(rs, 3), rs.getString(4),
						instant(rs, 5), instant(rs, 6));
			}
		}
	}

	public static Slot slot(Connection c, String slot) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("""
				SELECT database, active, active_pid, confirmed_flush_lsn::text, restart_lsn::text
				  FROM pg_catalog.pg_replication_slots WHERE slot_name = ?""")) {
			ps.setString(1, slot);
			try (ResultSet rs = ps.executeQuery()) {
				if (!rs.next()) {
					return null;
				}
				String confirmed = rs.getString(4);
				String restart = rs.getString(5);
				Integer pid = (Integer) rs.getObject(3);
				return new Slot(rs.getString(1), rs.getBoolean(2), pid, (confirmed != null) ? Lsn.parse(confirmed) : null,
						(restart != null) ? Lsn.parse(restart) : null);
			}
		}
	}

	public static String currentDatabase(Connection c) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("SELECT current_database()"); ResultSet rs = ps.executeQuery()) {
			rs.next();
			return rs.getString(1);
		}
	}

	/**
	 * Debezium's stored offset for this relay (JdbcOffsetBackingStore: key
	 * {@code ["<engine name>",{"server":"<topic prefix>"}]}, value a JSON object of LSNs), or null.
	 */
	public static Offsets offsets(Connection c, RelaySettings settings) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("SELECT offset_key, offset_val FROM " + RelaySettings.OFFSET_TABLE
				+ " ORDER BY record_insert_ts DESC, record_insert_seq DESC")) {
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					String key = rs.getString(1);
					String value = rs.getString(2);
					if (key == null || value == null) {
						continue;
					}
					JsonNode keyNode = JSON.readTree(key);
					if (keyNode.isArray() && keyNode.size() == 2 && settings.engineName().equals(keyNode.get(0).asString())
							&& keyNode.get(1).path("server").asString("").equals(settings.slotName())) {
						JsonNode valueNode = JSON.readTree(value);
						return new Offsets(jsonLong(valueNode, "lsn_commit"), jsonLong(valueNode, "lsn_proc"),
								jsonLong(valueNode, "lsn"));
					}
				}
			}
		}
		return null;
	}

	/**
	 * Stores the offset Debezium starts from after a bootstrap: the slot's consistent point, as
	 * the commit LSN of the last transaction processed. With it, every change Debezium streams
	 * carries a commit LSN ({@link Position}), the first transaction's included, also after a
	 * restart (without it Debezium would substitute another LSN for the missing one on restore).
	 */
	static void storeInitialOffset(Connection c, RelaySettings settings, long consistentLsn) throws SQLException {
		deleteOffsets(c);
		String key = "[\"" + settings.engineName() + "\",{\"server\":\"" + settings.slotName() + "\"}]";
		long micros = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
		String value = "{\"lsn_proc\":" + consistentLsn + ",\"messageType\":\"COMMIT\",\"lsn_commit\":" + consistentLsn
				+ ",\"lsn\":" + consistentLsn + ",\"ts_usec\":" + micros + "}";
		try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + RelaySettings.OFFSET_TABLE
				+ " (id, offset_key, offset_val, record_insert_ts, record_insert_seq) VALUES (?, ?, ?, now(), 0)")) {
			ps.setString(1, UUID.randomUUID().toString());
			ps.setString(2, key);
			ps.setString(3, value);
			ps.executeUpdate();
		}
	}

	/** Removes Debezium's stored offsets (the table belongs to one relay deployment). */
	public static void deleteOffsets(Connection c) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + RelaySettings.OFFSET_TABLE)) {
			ps.executeUpdate();
		}
	}

	static void startBootstrap(Connection c, String slot, Instant since) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("""
				INSERT INTO cdc.relay_state (slot_name, phase, replay_since) VALUES (?, 'bootstrapping', ?)
				ON CONFLICT (slot_name) DO UPDATE SET phase = 'bootstrapping', replay_since = EXCLUDED.replay_since,
				  consistent_lsn = NULL""")) {
			ps.setString(1, slot);
			ps.setTimestamp(2, (since != null) ? Timestamp.from(since) : null);
			ps.executeUpdate();
		}
	}

	static void finishBootstrap(Connection c, String slot, long consistentLsn, String model) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("""
				UPDATE cdc.relay_state SET phase = 'streaming', consistent_lsn = ?::pg_lsn, projection_model = ?,
				       bootstrapped_at = now(),
				       -- every outbox row committed before the slot's start was republished (or, before
				       -- replay_since, relayed earlier): the pruning watermark may move to here
				       last_outbox_commit_at = GREATEST(last_outbox_commit_at, now())
				 WHERE slot_name = ?""")) {
			ps.setString(1, Lsn.format(consistentLsn));
			ps.setString(2, model);
			ps.setString(3, slot);
			ps.executeUpdate();
		}
	}

	static void setProjectionModel(Connection c, String slot, String model) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement(
				"UPDATE cdc.relay_state SET projection_model = ? WHERE slot_name = ?")) {
			ps.setString(1, model);
			ps.setString(2, slot);
			ps.executeUpdate();
		}
	}

	/**
	 * Lets the current transaction (a batch's projection and watermarks) commit without waiting for
	 * its WAL to reach the disk, so the next batch is not held up by an fsync. No crash guarantee
	 * depends on that flush: Debezium stores the batch's offsets later, in a transaction that does
	 * wait for it, and WAL is flushed in order, so a database crash that loses this commit loses
	 * those offsets too; the batch is then redelivered and re-applied (LSN guard, GREATEST
	 * watermarks).
	 */
	static void commitWithoutWaitingForFlush(Connection c) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("SET LOCAL synchronous_commit = off")) {
			ps.execute();
		}
	}

	/** Watermarks after a processed batch (same transaction as the projection). */
	static void recordProgress(Connection c, String slot, Instant lastEventAt, Instant outboxCommitAt,
			Instant outboxCreatedAt, UUID outboxEventId) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("""
				UPDATE cdc.relay_state
				   SET last_event_at = GREATEST(last_event_at, ?),
				       last_outbox_commit_at = GREATEST(last_outbox_commit_at, ?),
				       last_outbox_created_at = GREATEST(last_outbox_created_at, ?),
				       last_outbox_event_id = COALESCE(?, last_outbox_event_id)
				 WHERE slot_name = ?""")) {
			ps.setTimestamp(1, (lastEventAt != null) ? Timestamp.from(lastEventAt) : null);
			ps.setTimestamp(2, (outboxCommitAt != null) ? Timestamp.from(outboxCommitAt) : null);
			ps.setTimestamp(3, (outboxCreatedAt != null) ? Timestamp.from(outboxCreatedAt) : null);
			ps.setObject(4, outboxEventId);
			ps.setString(5, slot);
			ps.executeUpdate();
		}
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		Timestamp ts = rs.getTimestamp(column);
		return (ts != null) ? ts.toInstant() : null;
	}

	private static long jsonLong(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isNumber()) ? value.longValue() : 0L;
	}

}
