package dev.clara.relay.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.clara.shared.events.EventCodec;

/**
 * The relay: one Debezium embedded engine (PostgreSQL, pgoutput) that relays the outbox to
 * Kafka, streams Q&A pair changes and keeps the per-workspace projection current, run by
 * whichever instance holds the advisory lock.
 *
 * <p>Life of an instance: take the lock (or wait as standby); check that the relay's
 * bookkeeping, its slot and Debezium's offsets agree ({@link StartupCheck}; a disagreement
 * stops the instance with the recovery command); bootstrap the slot on a first start; then run
 * the engine, restarting it with back-off whenever it fails (a terminated walsender, a
 * PostgreSQL restart), re-checking before every start; stop the engine at once when the lock's
 * session is lost.
 */
public final class CdcRelay implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(CdcRelay.class);

	private static final Duration STABLE_RUN = Duration.ofSeconds(60);

	private final RelaySettings settings;

	private final DataSource dataSource;

	private final RelayMonitor monitor = new RelayMonitor();

	private final LeaderLock lock;

	private final KafkaPublisher publisher;

	private final OutboxRouter router;

	private final QaPairEvents qaEvents;

	private final Projections projections;

	private final Housekeeping housekeeping;

	private final EngineRunner engine;

	private final ScheduledExecutorService pruneScheduler = Executors
		.newSingleThreadScheduledExecutor((r) -> daemon(r, "cdc-relay-prune"));

	private volatile boolean closed;

	private volatile Consumer<RelayStartupException> fatalHandler = (ex) -> {
	};

	private Thread leader;

	public CdcRelay(RelaySettings settings, DataSource dataSource) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
		this.lock = new LeaderLock(settings);
		this.publisher = new KafkaPublisher(settings, this.monitor::error);
		this.router = new OutboxRouter(settings.routes(), settings.deadLetterTopic());
		this.qaEvents = new QaPairEvents(new EventCodec(), settings.qaPairChangesTopic());
		this.projections = new Projections(settings.embeddingModel());
		this.housekeeping = new Housekeeping(settings, dataSource);
		this.engine = new EngineRunner(settings, this.monitor);
	}

	public RelaySettings settings() {
		return this.settings;
	}

	public RelayMonitor monitor() {
		return this.monitor;
	}

	/** Called (on the relay's thread) when the instance must stop because offsets and slot disagree. */
	public void onFatal(Consumer<RelayStartupException> handler) {
		this.fatalHandler = Objects.requireNonNull(handler);
	}

	/**
	 * Starts the instance. When the lock is free it becomes active here and now, so a
	 * disagreement of offsets and slot fails this call; otherwise it returns as standby.
	 * @throws RelayStartupException when offsets and slot disagree
	 */
	public synchronized void start() {
		if (this.leader != null) {
			return;
		}
		boolean active = false;
		this.publisher.ensureTopics();
		if (this.lock.tryAcquire()) {
			logger.info("Took the relay lock ({}): active", this.lock.key());
			try {
				activate();
			}
			catch (RelayStartupException ex) {
				this.monitor.role(RelayMonitor.Role.FAILED);
				this.monitor.error(ex.getMessage());
				this.lock.release();
				throw ex;
			}
			catch (Exception ex) {
				if (ex instanceof SQLException sql && "42P01".equals(sql.getSQLState())) { // undefined_table
					this.lock.release();
					throw new IllegalStateException("The database has no cdc.* tables of the relay: run the migrations first"
							+ " (java -jar schema-exec.jar migrate; migration V20). " + ex.getMessage(), ex);
				}
				// the database may come and go: retried by the relay's thread
				logger.error("Activation failed: {}; retrying", ex.toString());
				this.monitor.error(ex.toString());
				this.lock.release();
			}
			active = this.lock.isHeld();
		}
		else {
			logger.info("Another relay holds the lock ({}): standby", this.lock.key());
		}
		boolean startActive = active;
		this.leader = new Thread(() -> run(startActive), "cdc-relay-leader");
		this.leader.setDaemon(true);
		this.leader.start();
		long prune = this.settings.pruneInterval().toMillis();
		this.pruneScheduler.scheduleWithFixedDelay(this::pruneQuietly, prune, prune, TimeUnit.MILLISECONDS);
	}

	private void run(boolean active) {
		Backoff backoff = new Backoff(this.settings.maxBackoff());
		while (!this.closed) {
			try {
				if (!active) {
					this.monitor.role(RelayMonitor.Role.STANDBY);
					while (!this.closed && !this.lock.tryAcquire()) {
						sleep(this.settings.standbyPollInterval());
					}
					if (this.closed) {
						break;
					}
					logger.info("Took the relay lock ({}): active", this.lock.key());
					activate();
				}
				active = true;
				this.monitor.role(RelayMonitor.Role.ACTIVE);
				superviseEngine();
				backoff.reset();
			}
			catch (RelayStartupException ex) {
				logger.error("The relay must not start:{}{}", System.lineSeparator(), ex.getMessage());
				this.monitor.role(RelayMonitor.Role.FAILED);
				this.monitor.error(ex.getMessage());
				this.engine.stop();
				this.lock.release();
				this.fatalHandler.accept(ex);
				return;
			}
			catch (InterruptedException ex) {
				if (!this.closed) {
					logger.warn("Relay thread interrupted", ex);
				}
			}
			catch (Exception ex) {
				logger.error("Relay failed: {}; giving up the lock and retrying", ex.toString(), ex);
				this.monitor.error(ex.toString());
			}
			this.engine.stop();
			this.lock.release();
			active = false;
			if (!this.closed) {
				try {
					backoff.pause(() -> !this.closed);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
		this.monitor.role(RelayMonitor.Role.STOPPED);
	}

	/** Runs right after taking the lock: start-up check, bootstrap, model switch. */
	private void activate() throws SQLException, InterruptedException {
		this.monitor.role(RelayMonitor.Role.ACTIVE);
		prepareSlot();
		try (Connection c = this.dataSource.getConnection()) {
			RelayState.Row state = RelayState.read(c, this.settings.slotName());
			if (state != null && !this.settings.embeddingModel().equals(state.projectionModel())) {
				c.setAutoCommit(false);
				this.projections.switchModel(c);
				RelayState.setProjectionModel(c, this.settings.slotName(), this.settings.embeddingModel());
				c.commit();
			}
		}
	}

	private void prepareSlot() throws SQLException, InterruptedException {
		StartupCheck.Verdict verdict;
		try (Connection c = this.dataSource.getConnection()) {
			verdict = StartupCheck.check(c, this.settings);
		}
		switch (verdict) {
			case FRESH -> {
				logger.info("First start of slot {}: bootstrapping", this.settings.slotName());
				bootstrapper().bootstrap(null, () -> !this.closed && this.lock.isHeld());
			}
			case REDO_BOOTSTRAP -> {
				Instant since;
				try (Connection c = this.dataSource.getConnection()) {
					since = RelayState.read(c, this.settings.slotName()).replaySince();
				}
				logger.warn("A bootstrap of slot {} was interrupted: redoing it", this.settings.slotName());
				bootstrapper().bootstrap(since, () -> !this.closed && this.lock.isHeld());
			}
			case STREAM -> {
			}
		}
	}

	private Bootstrapper bootstrapper() {
		return new Bootstrapper(this.settings, this.publisher, this.router, this.qaEvents, this.projections);
	}

	private void superviseEngine() throws SQLException, InterruptedException {
		Backoff restarts = new Backoff(this.settings.maxBackoff());
		while (!this.closed) {
			if (!this.engine.running()) {
				if (this.engine.started()) {
					this.monitor.engineRunning(false);
					if (this.engine.ranLongerThan(STABLE_RUN)) {
						restarts.reset();
					}
					logger.warn("The engine stopped; restarting it (attempt {})", restarts.attempts() + 1);
					if (!restarts.pause(() -> !this.closed && this.lock.isHeld())) {
						return;
					}
					if (!this.lock.verify()) {
						return;
					}
				}
				prepareSlot(); // the slot or the offsets may have gone while the engine was down
				startEngine();
			}
			sleep(this.settings.lockCheckInterval());
			if (!this.lock.verify()) {
				logger.error("Lost the relay lock: stopping the engine now");
				return;
			}
		}
	}

	private void startEngine() {
		this.engine.start(new ChangeHandler(this.settings, this.dataSource, this.publisher, this.router, this.qaEvents,
				this.projections, this.monitor, () -> this.engine.wanted() && !this.closed));
	}

	/**
	 * Deletes outbox rows older than the retention, and only rows created well before the commit
	 * of the last outbox row relayed (never one still to relay), then the consumers'
	 * processed_events older than their retention. Only the active instance prunes.
	 * @return outbox rows deleted
	 */
	public long pruneOutbox() throws SQLException {
		if (!this.lock.isHeld() || this.monitor.role() != RelayMonitor.Role.ACTIVE) {
			return 0;
		}
		return this.housekeeping.prune(() -> this.closed);
	}

	private void pruneQuietly() {
		try {
			pruneOutbox();
		}
		catch (Exception ex) {
			logger.warn("Pruning failed: {}", ex.toString());
		}
	}

	/** Slot lag in bytes (current WAL position minus the slot's confirmed position), or null. */
	public Long slotLagBytes() {
		return this.housekeeping.slotLagBytes();
	}

	/** Commit time of the last change relayed, as the active instance recorded it. */
	public Instant lastEventAt() {
		Instant local = this.monitor.lastEventAt();
		if (local != null) {
			return local;
		}
		try (Connection c = this.dataSource.getConnection()) {
			RelayState.Row state = RelayState.read(c, this.settings.slotName());
			return (state != null) ? state.lastEventAt() : null;
		}
		catch (SQLException ex) {
			return null;
		}
	}

	/**
	 * The recovery command's work, once: waits for the lock (stop the running relays first), drops
	 * the slot and the offsets, creates a new slot, rebuilds the projection and republishes the
	 * outbox rows created since {@code since} and the Q&A pairs updated since then.
	 */
	public static void recover(RelaySettings settings, DataSource dataSource, Instant since) throws Exception {
		try (CdcRelay relay = new CdcRelay(settings, dataSource)) {
			relay.publisher.ensureTopics();
			while (!relay.lock.tryAcquire()) {
				logger.warn("Another relay holds the lock ({}); stop it - waiting", relay.lock.key());
				sleep(Duration.ofSeconds(2));
			}
			relay.monitor.role(RelayMonitor.Role.ACTIVE);
			relay.bootstrapper().bootstrap(since, () -> true);
			logger.info("Recovery done: start the relay as usual");
		}
	}

	@Override
	public void close() {
		this.closed = true;
		Thread thread;
		synchronized (this) {
			thread = this.leader;
		}
		this.engine.stop();
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(30_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.engine.stop();
		this.lock.release();
		this.pruneScheduler.shutdownNow();
		this.engine.close();
		this.publisher.close();
		this.monitor.role(RelayMonitor.Role.STOPPED);
	}

	private static void sleep(Duration duration) throws InterruptedException {
		Thread.sleep(Math.max(1, duration.toMillis()));
	}

	private static Thread daemon(Runnable r, String name) {
		Thread t = new Thread(r, name);
		t.setDaemon(true);
		return t;
	}

}
