package dev.clara.relay.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's batch handler. For each batch, in this order:
 * <ol>
 * <li>translate: outbox inserts become records of their event type's topic, Q&A pair changes
 * become {@code QaPairChanged} records, changes of the projection tables are collected;</li>
 * <li>publish every record and wait until Kafka acknowledged all of them (retrying forever);</li>
 * <li>apply the projection and record the watermarks, in one database transaction (retrying
 * forever);</li>
 * <li>only then mark the records processed, so Debezium stores their offsets and confirms the
 * slot.</li>
 * </ol>
 * A crash anywhere before step 4 redelivers the batch: Kafka may see records twice (same event
 * ids), the projection ignores what it already applied (LSN guard). Nothing is ever marked
 * processed without having been published: a failure stops and retries, it never skips.
 */
final class ChangeHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

	private static final Logger logger = LoggerFactory.getLogger(ChangeHandler.class);

	private final RelaySettings settings;

	private final DataSource dataSource;

	private final KafkaPublisher publisher;

	private final OutboxRouter router;

	private final QaPairEvents qaEvents;

	private final Projections projections;

	private final RelayMonitor monitor;

	private final BooleanSupplier running;

	ChangeHandler(RelaySettings settings, DataSource dataSource, KafkaPublisher publisher, OutboxRouter router,
			QaPairEvents qaEvents, Projections projections, RelayMonitor monitor, BooleanSupplier running) {
		this.settings = settings;
		this.dataSource = dataSource;
		this.publisher = publisher;
		this.router = router;
		this.qaEvents = qaEvents;
		this.projections = projections;
		this.monitor = monitor;
		this.running = running;
	}

	@Override
	public boolean supportsTombstoneEvents() {
		return false;
	}

	@Override
	public void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
			DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
		long started = System.nanoTime();
		Batch batch = translate(events);
		this.publisher.publish(batch.records, this.running);
		Instant acknowledged = Instant.now();
		for (int i = 0; i < batch.records.size(); i++) {
			this.monitor.acknowledged(batch.records.get(i).topic(), batch.commitTimes.get(i), acknowledged);
		}
		if (batch.hasData()) {
			store(batch);
		}
		for (RecordChangeEvent<SourceRecord> event : events) {
			committer.markProcessed(event);
		}
		committer.markBatchFinished();
		if (batch.hasData()) {
			this.monitor.processed(batch.changes, batch.records.size(), batch.lastCommit);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Batch of {} records ({} changes, {} published) handled in {} ms", events.size(), batch.changes,
					batch.records.size(), (System.nanoTime() - started) / 1_000_000);
		}
	}

	/** What one engine batch amounts to. */
	static final class Batch {

		final List<ProducerRecord<String, String>> records = new ArrayList<>();

		/** The commit time of each record's change, by the records' index. */
		final List<Instant> commitTimes = new ArrayList<>();

		final List<Change> projectionChanges = new ArrayList<>();

		int changes;

		Instant lastCommit;

		Instant outboxCommit;

		Instant outboxCreated;

		UUID outboxEventId;

		boolean hasData() {
			return this.changes > 0;
		}

	}

	private Batch translate(List<RecordChangeEvent<SourceRecord>> events) {
		Batch batch = new Batch();
		for (RecordChangeEvent<SourceRecord> event : events) {
			Change change = ChangeReader.read(event.record());
			if (change == null) {
				continue;
			}
			boolean outbox = OutboxRouter.OUTBOX_TABLE.equals(change.table());
			if ((outbox && !change.isInsert()) || (!outbox && !Projections.captures(change.table()))) {
				// outbox deletes are the pruning, updates of outbox rows are no events, and the
				// heartbeat table only moves the slot
				continue;
			}
			batch.changes++;
			batch.lastCommit = change.commitTime();
			switch (change.table()) {
				case OutboxRouter.OUTBOX_TABLE -> {
					batch.records.add(this.router.route(change.after()));
					batch.commitTimes.add(change.commitTime());
					batch.outboxCommit = change.commitTime();
					Instant created = Change.instant(change.after(), "created_at");
					if (created != null && (batch.outboxCreated == null || created.isAfter(batch.outboxCreated))) {
						batch.outboxCreated = created;
					}
					batch.outboxEventId = Change.uuid(change.after(), "id");
				}
				case QaPairEvents.QA_PAIRS_TABLE -> {
					ProducerRecord<String, String> record = this.qaEvents.toRecord(change);
					if (record != null) {
						batch.records.add(record);
						batch.commitTimes.add(change.commitTime());
					}
					batch.projectionChanges.add(change);
				}
				default -> batch.projectionChanges.add(change);
			}
		}
		return batch;
	}

	private void store(Batch batch) throws InterruptedException {
		Backoff backoff = new Backoff(this.settings.maxBackoff());
		while (true) {
			try (Connection c = this.dataSource.getConnection()) {
				c.setAutoCommit(false);
				try {
					RelayState.commitWithoutWaitingForFlush(c);
					this.projections.apply(c, batch.projectionChanges);
					RelayState.recordProgress(c, this.settings.slotName(), batch.lastCommit, batch.outboxCommit,
							batch.outboxCreated, batch.outboxEventId);
					c.commit();
					return;
				}
				catch (SQLException | RuntimeException ex) {
					c.rollback();
					throw ex;
				}
			}
			catch (SQLException | RuntimeException ex) {
				logger.warn("Updating the projection failed (attempt {}): {}; retrying - nothing is skipped",
						backoff.attempts() + 1, ex.toString());
				this.monitor.error("projection: " + ex.getMessage());
				if (!backoff.pause(this.running)) {
					throw new InterruptedException("relay stopping before the projection was updated");
				}
			}
		}
	}

}
