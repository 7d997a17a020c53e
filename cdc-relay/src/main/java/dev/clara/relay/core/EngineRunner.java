package dev.clara.relay.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs at most one Debezium embedded engine at a time on a thread of its own, and tells whether
 * it is still running and how long it ran.
 */
final class EngineRunner implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EngineRunner.class);

	private final RelaySettings settings;

	private final RelayMonitor monitor;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((r) -> {
		Thread t = new Thread(r, "cdc-relay-engine");
		t.setDaemon(true);
		return t;
	});

	private volatile boolean wanted;

	private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

	private volatile Future<?> run;

	private volatile Instant startedAt;

	EngineRunner(RelaySettings settings, RelayMonitor monitor) {
		this.settings = settings;
		this.monitor = monitor;
	}

	/** Whether the engine was stopped on purpose (so the handler stops taking batches). */
	boolean wanted() {
		return this.wanted;
	}

	/** Whether an engine was started and has not stopped since. */
	boolean running() {
		Future<?> current = this.run;
		return current != null && !current.isDone();
	}

	/** Whether an engine was started at all since the last {@link #stop()}. */
	boolean started() {
		return this.run != null;
	}

	/** Whether the last engine ran at least {@code duration} before it stopped (or until now). */
	boolean ranLongerThan(Duration duration) {
		Instant started = this.startedAt;
		return started != null && Duration.between(started, Instant.now()).compareTo(duration) > 0;
	}

	void start(ChangeHandler handler) {
		this.wanted = true;
		DebeziumEngine<RecordChangeEvent<SourceRecord>> created = DebeziumEngine
			.create(ChangeEventFormat.of(Connect.class))
			.using(EngineConfig.properties(this.settings))
			.notifying(handler)
			.using((success, message, error) -> {
				if (error != null) {
					logger.error("Engine stopped: {}", message, error);
					this.monitor.error("engine: " + message + ((error.getMessage() != null) ? ": " + error.getMessage() : ""));
				}
				else if (this.wanted) {
					logger.warn("Engine stopped: {}", message);
				}
				else {
					logger.info("Engine stopped: {}", message);
				}
				this.monitor.engineRunning(false);
			})
			.build();
		this.engine = created;
		this.startedAt = Instant.now();
		this.monitor.engineRunning(true);
		this.run = this.executor.submit(created);
		logger.info("Engine started on slot {} (publication {})", this.settings.slotName(),
				this.settings.publicationName());
	}

	void stop() {
		this.wanted = false;
		DebeziumEngine<RecordChangeEvent<SourceRecord>> current = this.engine;
		Future<?> running = this.run;
		this.engine = null;
		this.run = null;
		if (current != null) {
			try {
				current.close();
			}
			catch (Exception ex) {
				logger.warn("Closing the engine failed: {}", ex.toString());
			}
		}
		if (running != null) {
			try {
				running.get(30, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				logger.debug("Engine run ended with {}", ex.toString());
			}
		}
		this.monitor.engineRunning(false);
	}

	@Override
	public void close() {
		stop();
		this.executor.shutdownNow();
	}

}
