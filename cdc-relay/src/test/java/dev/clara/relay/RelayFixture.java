package dev.clara.relay;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.header.Header;

import dev.clara.relay.core.CdcRelay;
import dev.clara.relay.core.RelaySettings;
import dev.clara.schema.Migrations;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.shared.events.QuestionAsked;
import dev.clara.testing.LocalKafka;
import dev.clara.testing.LocalPostgres;
import dev.clara.testing.TestDatabase;

/**
 * A test class's own database (migrated), replication slot and publication names, and topics,
 * plus helpers to write what a chat turn writes. Closing it stops the relays it started, drops
 * the slot (a database with a logical slot cannot be dropped), the database and the topics.
 */
final class RelayFixture implements AutoCloseable {

	static final EventCodec CODEC = new EventCodec();

	final TestDatabase db;

	final String slot;

	final String questions;

	final String gaps;

	final String qaChanges;

	final String qaEmbedded;

	final String deadLetters;

	final HikariDataSource dataSource;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final int partitions;

	private RelayFixture(String purpose, int partitions) {
		this.partitions = partitions;
		this.db = LocalPostgres.createMigratedDatabase("cdc_" + purpose, Migrations::migrate);
		this.slot = "clara_test_" + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_"
				+ UUID.randomUUID().toString().substring(0, 8);
		this.questions = LocalKafka.createTopic("questions", partitions);
		this.gaps = LocalKafka.createTopic("gaps", partitions);
		this.qaChanges = LocalKafka.createTopic("qa-changes", partitions);
		this.qaEmbedded = LocalKafka.createTopic("qa-embedded", partitions);
		this.deadLetters = LocalKafka.createTopic("outbox-dlt", partitions);
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(this.db.jdbcUrl());
		config.setUsername(LocalPostgres.superuser());
		config.setPassword("");
		config.setMaximumPoolSize(6);
		config.setPoolName("test-" + purpose);
		this.dataSource = new HikariDataSource(config);
	}

	static RelayFixture create(String purpose) {
		return new RelayFixture(purpose, 6);
	}

	/** Settings for a relay on this fixture's database, slot and topics, with short intervals. */
	RelaySettings.Builder settings() {
		return RelaySettings.builder()
			.jdbcUrl(this.db.jdbcUrl())
			.user(LocalPostgres.superuser())
			.password("")
			.kafkaBootstrapServers(LocalKafka.bootstrapServers())
			.slotName(this.slot)
			.publicationName(this.slot)
			.route("QuestionAsked", this.questions)
			.route("GapDetected", this.gaps)
			.route(QaPairEmbedded.TYPE, this.qaEmbedded)
			.deadLetterTopic(this.deadLetters)
			.qaPairChangesTopic(this.qaChanges)
			.topicPartitions(this.partitions)
			.topicReplicationFactor((short) 1)
			// the model the tests' vectors are written with ("embedded" in the projection)
			.embeddingModel("all-minilm-l6-v2-q")
			.heartbeatInterval(Duration.ofSeconds(2))
			.maxBackoff(Duration.ofSeconds(2))
			.pruneInterval(Duration.ofHours(1));
	}

	CdcRelay startRelay() {
		return startRelay(settings().build());
	}

	CdcRelay startRelay(RelaySettings settings) {
		CdcRelay relay = new CdcRelay(settings, this.dataSource);
		this.closeables.add(relay);
		relay.start();
		return relay;
	}

	/** Runs after the relays stop, before the database is dropped. */
	void closeLater(AutoCloseable closeable) {
		this.closeables.add(closeable);
	}

	// ───────────────────────────── writing what the services write ─────────────────────────────

	Connection connect() throws SQLException {
		return this.db.connectAsSuperuser();
	}

	/** A signed-up owner's workspace. */
	UUID newWorkspace() throws SQLException {
		return this.db.newOwnerWorkspace();
	}

	/**
	 * What a chat turn commits, in one transaction: the conversation, the visitor's and Clara's
	 * messages and the QuestionAsked outbox row. Returns the event id.
	 */
	UUID commitTurn(Connection c, UUID workspace, String question) throws SQLException {
		boolean autoCommit = c.getAutoCommit();
		c.setAutoCommit(false);
		try {
			UUID eventId = writeTurn(c, workspace, "session-" + UUID.randomUUID(), question);
			c.commit();
			return eventId;
		}
		catch (SQLException ex) {
			c.rollback();
			throw ex;
		}
		finally {
			c.setAutoCommit(autoCommit);
		}
	}

	/** The turn's rows, in the caller's transaction. */
	UUID writeTurn(Connection c, UUID workspace, String sessionToken, String question) throws SQLException {
		UUID conversation = (UUID) single(c, """
				INSERT INTO conversations (workspace_id, session_token) VALUES (?, ?)
				ON CONFLICT (workspace_id, session_token) DO UPDATE SET visitor_name = conversations.visitor_name
				RETURNING id""", workspace, sessionToken);
		UUID messageId = UUID.randomUUID();
		update(c, "INSERT INTO messages (conversation_id, workspace_id, message_id, role, content) VALUES (?, ?, ?, 'user', ?)",
				conversation, workspace, messageId, question);
		update(c, "INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES (?, ?, 'assistant', ?)",
				conversation, workspace, "I don't know yet.");
		return writeOutbox(c, workspace, conversation, messageId, question);
	}

	UUID writeOutbox(Connection c, UUID workspace, UUID conversation, UUID messageId, String question)
			throws SQLException {
		EventEnvelope<QuestionAsked> envelope = EventCodec.envelope(workspace, Instant.now(), new QuestionAsked(
				conversation, messageId, question, "I don't know yet.", null, 0.0, 0.55, true, "all-minilm-l6-v2-q",
				Instant.now()));
		insertOutbox(c, envelope.eventId(), workspace, "conversation", conversation.toString(), envelope.eventType(),
				envelope.eventVersion(), CODEC.toJson(envelope));
		return envelope.eventId();
	}

	/** The embedding worker's outbox row for a pair it has just embedded. Returns the event id. */
	UUID writeEmbedded(Connection c, UUID workspace, String question) throws SQLException {
		UUID pair = UUID.randomUUID();
		EventEnvelope<QaPairEmbedded> envelope = EventCodec.envelope(workspace, Instant.now(),
				new QaPairEmbedded(pair, question, "all-minilm-l6-v2-q", Instant.now()));
		insertOutbox(c, envelope.eventId(), workspace, "qa_pair", pair.toString(), envelope.eventType(),
				envelope.eventVersion(), CODEC.toJson(envelope));
		return envelope.eventId();
	}

	static void insertOutbox(Connection c, UUID id, UUID workspace, String aggregateType, String aggregateId,
			String eventType, int version, String json) throws SQLException {
		update(c, """
				INSERT INTO outbox_events (id, workspace_id, aggregate_type, aggregate_id, event_type, event_version, payload)
				VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb))""", id, workspace, aggregateType, aggregateId, eventType,
				version, json);
	}

	static int update(Connection c, String sql, Object... args) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement(sql)) {
			for (int i = 0; i < args.length; i++) {
				ps.setObject(i + 1, args[i]);
			}
			return ps.executeUpdate();
		}
	}

	static Object single(Connection c, String sql, Object... args) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement(sql)) {
			for (int i = 0; i < args.length; i++) {
				ps.setObject(i + 1, args[i]);
			}
			try (ResultSet rs = ps.executeQuery()) {
				return rs.next() ? rs.getObject(1) : null;
			}
		}
	}

	static long count(Connection c, String sql, Object... args) throws SQLException {
		Object value = single(c, sql, args);
		return (value instanceof Number n) ? n.longValue() : 0;
	}

	static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	/** Drops the slot (ending a walsender that still holds it). */
	void dropSlot() throws SQLException {
		try (Connection c = connect(); Statement st = c.createStatement()) {
			for (int i = 0; i < 60; i++) {
				try (ResultSet rs = st.executeQuery("SELECT active_pid FROM pg_replication_slots WHERE slot_name = '"
						+ this.slot + "'")) {
					if (!rs.next()) {
						return;
					}
					Object pid = rs.getObject(1);
					if (pid != null) {
						st.execute("SELECT pg_terminate_backend(" + pid + ")");
						Thread.sleep(200);
						continue;
					}
				}
				try {
					st.execute("SELECT pg_drop_replication_slot('" + this.slot + "')");
					return;
				}
				catch (SQLException ex) {
					Thread.sleep(200);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			try {
				this.closeables.get(i).close();
			}
			catch (Exception ex) {
				// keep cleaning up
			}
		}
		this.dataSource.close();
		try {
			dropSlot();
		}
		catch (SQLException ex) {
			// the database drop below reports it
		}
		this.db.close();
		try (Admin admin = LocalKafka.admin()) {
			admin.deleteTopics(List.of(this.questions, this.gaps, this.qaChanges, this.qaEmbedded, this.deadLetters)).all().get();
		}
		catch (Exception ex) {
			// test topics are disposable
		}
	}

}
