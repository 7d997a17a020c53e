package dev.clara.outbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.clara.schema.Migrations;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.testing.LocalPostgres;
import dev.clara.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer and the gap events against a migrated database of their own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxIntegrationTests {

	private final EventCodec codec = new EventCodec();

	private TestDatabase database;

	private JdbcClient jdbc;

	private TransactionTemplate transactions;

	private OutboxWriter outbox;

	private GapEvents gapEvents;

	@BeforeAll
	void migrate() {
		this.database = LocalPostgres.createMigratedDatabase("outbox", Migrations::migrate);
		DataSource dataSource = this.database.dataSource();
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.outbox = new OutboxWriter(this.jdbc, this.codec);
		this.gapEvents = new GapEvents(this.jdbc, this.outbox);
	}

	@AfterAll
	void drop() {
		this.database.close();
	}

	@Test
	void theRowIsTheEnvelopeItCarries() {
		UUID workspace = UUID.randomUUID();
		UUID pair = UUID.randomUUID();
		Instant occurredAt = Instant.parse("2025-01-31T12:00:00.123456Z");
		EventEnvelope<QaPairEmbedded> event = EventCodec.envelope(workspace, occurredAt,
				new QaPairEmbedded(pair, "How much is it?", "all-minilm-l6-v2-q", occurredAt));

		this.outbox.append(event, "qa_pair", pair.toString());

		Map<String, Object> row = this.jdbc.sql("""
				SELECT workspace_id, aggregate_type, aggregate_id, event_type, event_version, occurred_at,
				       payload::text AS payload
				FROM outbox_events WHERE id = :id
				""").param("id", event.eventId()).query().singleRow();
		assertThat(row).containsEntry("workspace_id", workspace)
			.containsEntry("aggregate_type", "qa_pair")
			.containsEntry("aggregate_id", pair.toString())
			.containsEntry("event_type", QaPairEmbedded.TYPE)
			.containsEntry("event_version", QaPairEmbedded.VERSION);
		assertThat(((java.sql.Timestamp) row.get("occurred_at")).toInstant()).isEqualTo(occurredAt);
		assertThat(this.codec.fromJson((String) row.get("payload"), QaPairEmbedded.class)).isEqualTo(event);
	}

	@Test
	void anEventOfARolledBackTransactionIsNotWritten() {
		EventEnvelope<QaPairEmbedded> event = EventCodec.envelope(UUID.randomUUID(), Instant.now(),
				new QaPairEmbedded(UUID.randomUUID(), "Do you ship abroad?", "all-minilm-l6-v2-q", Instant.now()));

		this.transactions.executeWithoutResult(status -> {
			this.outbox.append(event, "qa_pair", event.payload().qaPairId().toString());
			status.setRollbackOnly();
		});

		assertThat(this.jdbc.sql("SELECT count(*) FROM outbox_events WHERE id = :id")
			.param("id", event.eventId())
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aGapIsPublishedAsItsRowIsNow() {
		UUID workspace = this.database.newOwnerWorkspace();
		UUID resolvedBy = this.jdbc.sql("""
				INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (:ws, 'Is there a free plan?', 'Yes.')
				RETURNING id
				""").param("ws", workspace).query(UUID.class).single();
		OffsetDateTime askedAt = OffsetDateTime.parse("2025-02-01T08:30:00Z");
		UUID leader = gap(workspace, "Is there a free tier?", null, askedAt);
		UUID member = gap(workspace, "Do you have a free tier", leader, askedAt.plusMinutes(5));
		this.jdbc.sql("""
				UPDATE qa_gaps SET status = 'resolved', resolved_qa_id = :pair, resolved_automatically = true,
				                   ask_count = 3
				WHERE id = :id
				""").param("pair", resolvedBy).param("id", member).update();
		Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);

		int published = this.transactions
			.execute(status -> this.gapEvents.publish(List.of(member, leader, UUID.randomUUID())));

		assertThat(published).isEqualTo(2);
		List<EventEnvelope<GapDetected>> events = this.jdbc.sql("""
				SELECT payload::text FROM outbox_events
				WHERE workspace_id = :ws AND aggregate_type = 'qa_gap' AND aggregate_id = payload #>> '{payload,gap_id}'
				ORDER BY aggregate_id
				""").param("ws", workspace).query(String.class).list().stream()
			.map(json -> this.codec.fromJson(json, GapDetected.class))
			.toList();
		assertThat(events).hasSize(2).allSatisfy(event -> {
			assertThat(event.workspaceId()).isEqualTo(workspace);
			assertThat(event.occurredAt()).isAfterOrEqualTo(before);
		});
		assertThat(events).extracting(EventEnvelope::payload)
			.containsExactlyInAnyOrder(
					new GapDetected(leader, leader, "Is there a free tier?", 1, null, 0.0, null, "open", null, false,
							askedAt.toInstant()),
					new GapDetected(member, leader, "Do you have a free tier", 3, null, 0.0, null, "resolved",
							resolvedBy, true, askedAt.plusMinutes(5).toInstant()));
	}

	@Test
	void noGapsNoStatement() {
		assertThat(this.gapEvents.publish(List.of())).isZero();
	}

	private UUID gap(UUID workspace, String question, UUID groupId, OffsetDateTime askedAt) {
		return this.jdbc.sql("""
				INSERT INTO qa_gaps (workspace_id, question, group_id, last_asked_at)
				VALUES (:ws, :question, :group, :askedAt) RETURNING id
				""")
			.param("ws", workspace)
			.param("question", question)
			.param("group", groupId)
			.param("askedAt", askedAt)
			.query(UUID.class)
			.single();
	}

}
