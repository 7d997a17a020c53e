package dev.clara.relay.core;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What the relay reports about itself (health endpoint, logs, tests). */
public final class RelayMonitor {

	/** The instance's role. */
	public enum Role {

		/** Not started yet. */
		STARTING,
		/** Holds the lock and relays. */
		ACTIVE,
		/** Waits for the lock. */
		STANDBY,
		/** Refused to start (offsets and slot disagree); see the error. */
		FAILED,
		/** Stopped. */
		STOPPED

	}

	/** Told about every record Kafka acknowledged (the metrics; never blocks the relay for long). */
	@FunctionalInterface
	public interface PublishObserver {

		/**
		 * @param topic the record's topic
		 * @param commitTime commit time of the change it came from (the Debezium source's {@code ts_ms})
		 * @param acknowledgedAt when the relay had Kafka's acknowledgement of the record's whole batch
		 */
		void acknowledged(String topic, Instant commitTime, Instant acknowledgedAt);

	}

	private volatile PublishObserver observer = (topic, commitTime, acknowledgedAt) -> {
	};

	private volatile Role role = Role.STARTING;

	private volatile boolean engineRunning;

	private volatile Instant lastEventAt;

	private volatile Instant lastBatchAt;

	private volatile String lastError;

	private final AtomicLong changes = new AtomicLong();

	private final AtomicLong published = new AtomicLong();

	private final AtomicLong engineStarts = new AtomicLong();

	public Role role() {
		return this.role;
	}

	void role(Role role) {
		this.role = role;
	}

	public boolean engineRunning() {
		return this.engineRunning;
	}

	void engineRunning(boolean running) {
		this.engineRunning = running;
		if (running) {
			this.engineStarts.incrementAndGet();
		}
	}

	/** Commit time of the last change processed by this instance. */
	public Instant lastEventAt() {
		return this.lastEventAt;
	}

	/** When this instance last finished a batch of changes. */
	public Instant lastBatchAt() {
		return this.lastBatchAt;
	}

	public String lastError() {
		return this.lastError;
	}

	void error(String error) {
		this.lastError = error;
	}

	public long changes() {
		return this.changes.get();
	}

	public long published() {
		return this.published.get();
	}

	public long engineStarts() {
		return this.engineStarts.get();
	}

	/** Replaces the observer of acknowledged records (one at a time). */
	public void observe(PublishObserver observer) {
		this.observer = observer;
	}

	void acknowledged(String topic, Instant commitTime, Instant acknowledgedAt) {
		this.observer.acknowledged(topic, commitTime, acknowledgedAt);
	}

	void processed(int changes, int records, Instant lastCommit) {
		this.changes.addAndGet(changes);
		this.published.addAndGet(records);
		if (lastCommit != null) {
			this.lastEventAt = lastCommit;
		}
		this.lastBatchAt = Instant.now();
		this.lastError = null;
	}

}
