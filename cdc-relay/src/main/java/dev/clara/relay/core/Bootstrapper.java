package dev.clara.relay.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.ReplicationSlotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the relay's publication and replication slot and makes everything before the slot's
 * consistent point current, in one snapshot that is exactly the slot's starting point
 * (CREATE_REPLICATION_SLOT's exported snapshot):
 * <ul>
 * <li>the projection is rebuilt from the tables,</li>
 * <li>outbox rows created since the given time (all retained rows on a first start) are
 * republished,</li>
 * <li>the Q&A pairs updated since then are republished as {@code QaPairChanged} (operation
 * {@code updated}, no previous question) so the embedding worker sees them.</li>
 * </ul>
 * Every change committed after the consistent point is then streamed by Debezium (snapshot mode
 * {@code no_data} on the slot created here), so nothing is counted twice and nothing is missed.
 * A crash midway leaves {@code phase = 'bootstrapping'}; the next start redoes it all.
 */
final class Bootstrapper {

	private static final Logger logger = LoggerFactory.getLogger(Bootstrapper.class);

	private static final int CHUNK = 500;

	private final RelaySettings settings;

	private final KafkaPublisher publisher;

	private final OutboxRouter router;

	private final QaPairEvents qaEvents;

	private final Projections projections;

	Bootstrapper(RelaySettings settings, KafkaPublisher publisher, OutboxRouter router, QaPairEvents qaEvents,
			Projections projections) {
		this.settings = settings;
		this.publisher = publisher;
		this.router = router;
		this.qaEvents = qaEvents;
		this.projections = projections;
	}

	/**
	 * @param since replay outbox rows created (and pairs updated) at or after this; null = all
	 * @param running false when the relay stops (publishing then gives up and nothing commits)
	 */
	void bootstrap(Instant since, BooleanSupplier running) throws SQLException, InterruptedException {
		String slot = this.settings.slotName();
		logger.info("Bootstrapping slot {} (replaying outbox rows {})", slot,
				(since != null) ? "created since " + since : "of the whole retention");
		try (Connection c = connect()) {
			c.setAutoCommit(true);
			RelayState.startBootstrap(c, slot, since);
			dropSlot(c, slot);
			RelayState.deleteOffsets(c);
			ensurePublication(c);
		}
		try (Connection replication = connectForReplication(); Connection snapshot = connect()) {
			ReplicationSlotInfo info = replication.unwrap(PGConnection.class)
				.getReplicationAPI()
				.createReplicationSlot()
				.logical()
				.withSlotName(slot)
				.withOutputPlugin("pgoutput")
				.make();
			long consistentLsn = info.getConsistentPoint().asLong();
			logger.info("Created replication slot {} at {} (snapshot {})", slot, Lsn.format(consistentLsn),
					info.getSnapshotName());
			snapshot.setAutoCommit(false);
			snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			try (Statement st = snapshot.createStatement()) {
				st.execute("SET TRANSACTION SNAPSHOT '" + info.getSnapshotName() + "'");
			}
			replication.close(); // the snapshot is imported; the exporting session may go
			try {
				this.projections.rebuild(snapshot);
				int outbox = replayOutbox(snapshot, since, running);
				int pairs = replayPairs(snapshot, since, consistentLsn, running);
				RelayState.finishBootstrap(snapshot, slot, consistentLsn, this.settings.embeddingModel());
				RelayState.storeInitialOffset(snapshot, this.settings, consistentLsn);
				snapshot.commit();
				logger.info("Bootstrap of slot {} done: {} outbox events and {} Q&A pairs republished; streaming from {}", slot,
						outbox, pairs, Lsn.format(consistentLsn));
			}
			catch (SQLException | InterruptedException | RuntimeException ex) {
				snapshot.rollback();
				throw ex;
			}
		}
	}

	private int replayOutbox(Connection c, Instant since, BooleanSupplier running)
			throws SQLException, InterruptedException {
		int count = 0;
		try (PreparedStatement ps = c.prepareStatement("""
				SELECT id::text, workspace_id::text, event_type, event_version, payload::text
				  FROM public.outbox_events
				 WHERE ?::timestamptz IS NULL OR created_at >= ?::timestamptz
				 ORDER BY created_at, id""")) {
			Timestamp from = (since != null) ? Timestamp.from(since) : null;
			ps.setTimestamp(1, from);
			ps.setTimestamp(2, from);
			ps.setFetchSize(CHUNK);
			try (ResultSet rs = ps.executeQuery()) {
				List<ProducerRecord<String, String>> chunk = new ArrayList<>(CHUNK);
				while (rs.next()) {
					chunk.add(this.router.route(Map.of("id", rs.getString(1), "workspace_id", rs.getString(2), "event_type",
							rs.getString(3), "event_version", rs.getInt(4), "payload", rs.getString(5))));
					if (chunk.size() == CHUNK) {
						this.publisher.publish(chunk, running);
						count += chunk.size();
						chunk.clear();
					}
				}
				this.publisher.publish(chunk, running);
				count += chunk.size();
			}
		}
		return count;
	}

	private int replayPairs(Connection c, Instant since, long consistentLsn, BooleanSupplier running)
			throws SQLException, InterruptedException {
		int count = 0;
		try (PreparedStatement ps = c.prepareStatement("""
				SELECT id, workspace_id, question, is_active, embedding_model, updated_at
				  FROM public.qa_pairs
				 WHERE ?::timestamptz IS NULL OR updated_at >= ?::timestamptz
				 ORDER BY updated_at, id""")) {
			Timestamp from = (since != null) ? Timestamp.from(since) : null;
			ps.setTimestamp(1, from);
			ps.setTimestamp(2, from);
			ps.setFetchSize(CHUNK);
			try (ResultSet rs = ps.executeQuery()) {
				List<ProducerRecord<String, String>> chunk = new ArrayList<>(CHUNK);
				while (rs.next()) {
					chunk.add(this.qaEvents.replayed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
							rs.getBoolean(4), rs.getString(5), rs.getTimestamp(6).toInstant(), consistentLsn));
					if (chunk.size() == CHUNK) {
						this.publisher.publish(chunk, running);
						count += chunk.size();
						chunk.clear();
					}
				}
				this.publisher.publish(chunk, running);
				count += chunk.size();
			}
		}
		return count;
	}

	/** Drops the slot if it exists; a walsender still holding it (a dead leader's) is given time, then ended. */
	static void dropSlot(Connection c, String slot) throws SQLException {
		for (int attempt = 0;; attempt++) {
			RelayState.Slot info = RelayState.slot(c, slot);
			if (info == null) {
				return;
			}
			if (!info.active()) {
				try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
					ps.setString(1, slot);
					ps.execute();
					logger.warn("Dropped replication slot {}", slot);
					return;
				}
				catch (SQLException ex) {
					if (attempt > 20) {
						throw ex;
					}
				}
			}
			else if (attempt == 20 && info.activePid() != null) {
				logger.warn("Replication slot {} is still held by backend {}; terminating it", slot, info.activePid());
				try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
					ps.setInt(1, info.activePid());
					ps.execute();
				}
			}
			else if (attempt > 40) {
				throw new SQLException("Replication slot " + slot + " stays active (backend " + info.activePid() + ")");
			}
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new SQLException("interrupted while waiting for slot " + slot, ex);
			}
		}
	}

	/** The publication with exactly the captured tables (Debezium's "filtered" mode keeps it so). */
	void ensurePublication(Connection c) throws SQLException {
		String name = this.settings.publicationName();
		String tables = String.join(", ", RelaySettings.CAPTURED_TABLES);
		boolean exists;
		try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = ?")) {
			ps.setString(1, name);
			try (ResultSet rs = ps.executeQuery()) {
				exists = rs.next();
			}
		}
		try (Statement st = c.createStatement()) {
			if (exists) {
				st.execute("ALTER PUBLICATION " + name + " SET TABLE " + tables);
			}
			else {
				st.execute("CREATE PUBLICATION " + name + " FOR TABLE " + tables);
				logger.info("Created publication {} for {}", name, tables);
			}
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(this.settings.jdbcUrl(), this.settings.user(), this.settings.password());
	}

	private Connection connectForReplication() throws SQLException {
		Properties props = new Properties();
		PGProperty.USER.set(props, this.settings.user());
		PGProperty.PASSWORD.set(props, this.settings.password());
		PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
		PGProperty.REPLICATION.set(props, "database");
		PGProperty.PREFER_QUERY_MODE.set(props, "simple");
		return DriverManager.getConnection(this.settings.jdbcUrl(), props);
	}

}
