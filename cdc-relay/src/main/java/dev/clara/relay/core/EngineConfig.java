package dev.clara.relay.core;

import java.util.Map;
import java.util.Properties;

/** The Debezium embedded engine's configuration (PostgreSQL connector, pgoutput, JDBC offsets). */
final class EngineConfig {

	private EngineConfig() {
	}

	static Properties properties(RelaySettings s) {
		PostgresAddress db = PostgresAddress.parse(s.jdbcUrl());
		Properties p = new Properties();
		p.setProperty("name", s.engineName());
		p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
		// Kafka 4.2's config validation wants it; the embedded engine never connects to it
		p.setProperty("bootstrap.servers", "unused.invalid:9092");
		p.setProperty("topic.prefix", s.slotName());

		p.setProperty("database.hostname", db.host());
		p.setProperty("database.port", Integer.toString(db.port()));
		p.setProperty("database.dbname", db.database());
		p.setProperty("database.user", s.user());
		p.setProperty("database.password", s.password());
		for (Map.Entry<String, String> param : db.parameters().entrySet()) {
			switch (param.getKey()) {
				case "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "sslfactory" ->
					p.setProperty("database." + param.getKey(), param.getValue());
				default -> {
				}
			}
		}

		p.setProperty("plugin.name", "pgoutput");
		p.setProperty("slot.name", s.slotName());
		p.setProperty("publication.name", s.publicationName());
		p.setProperty("publication.autocreate.mode", "filtered");
		p.setProperty("table.include.list", String.join(",", RelaySettings.CAPTURED_TABLES));
		// the relay reads neither the vectors nor the message texts; leaving them out keeps events small
		p.setProperty("column.exclude.list", String.join(",", "public.qa_pairs.embedding", "public.qa_pairs.metadata",
				"public.qa_gaps.question_embedding", "public.qa_gaps.ai_answer", "public.messages.content",
				"public.messages.metadata", "public.conversations.summary", "public.conversations.metadata"));
		// the relay creates the slot itself (with an exported snapshot, see Bootstrapper): no data snapshot here
		p.setProperty("snapshot.mode", "no_data");
		p.setProperty("slot.drop.on.stop", "false");
		p.setProperty("tombstones.on.delete", "false");
		p.setProperty("provide.transaction.metadata", "false");
		p.setProperty("heartbeat.interval.ms", Long.toString(s.heartbeatInterval().toMillis()));
		p.setProperty("heartbeat.action.query", "INSERT INTO cdc.heartbeat (slot_name, beat_at) VALUES ('" + s.slotName()
				+ "', now()) ON CONFLICT (slot_name) DO UPDATE SET beat_at = EXCLUDED.beat_at");
		p.setProperty("poll.interval.ms", Long.toString(s.pollInterval().toMillis()));
		p.setProperty("max.batch.size", Integer.toString(s.maxBatchSize()));
		p.setProperty("max.queue.size", Integer.toString(Math.max(8192, s.maxBatchSize() * 4)));
		// a walsender that goes away (PostgreSQL restart, pg_terminate_backend) is a retriable error
		p.setProperty("errors.max.retries", "-1");
		p.setProperty("errors.retry.delay.initial.ms", "300");
		p.setProperty("errors.retry.delay.max.ms", Long.toString(Math.max(1000, s.maxBackoff().toMillis())));
		p.setProperty("slot.max.retries", "30");
		p.setProperty("slot.retry.delay.ms", "2000");
		p.setProperty("retriable.restart.connector.wait.ms", "2000");

		p.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
		p.setProperty("offset.storage.jdbc.connection.url", s.jdbcUrl());
		p.setProperty("offset.storage.jdbc.connection.user", s.user());
		// the store insists on a non-empty password; with no password none is needed (trust, peer, cert)
		p.setProperty("offset.storage.jdbc.connection.password", s.password().isEmpty() ? "unused" : s.password());
		p.setProperty("offset.storage.jdbc.table.name", RelaySettings.OFFSET_TABLE);
		// the table comes from migration V20; instead of creating it, fail clearly if it is missing
		p.setProperty("offset.storage.jdbc.table.ddl", "SELECT 1 FROM %s WHERE false");
		p.setProperty("offset.flush.interval.ms", Long.toString(s.offsetFlushInterval().toMillis()));
		p.setProperty("offset.flush.timeout.ms", "10000");

		p.setProperty("record.processing.order", "ORDERED");
		p.setProperty("debezium.embedded.shutdown.pause.before.interrupt.ms", "5000");
		return p;
	}

}
