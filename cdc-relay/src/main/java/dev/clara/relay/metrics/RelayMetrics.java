package dev.clara.relay.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.clara.relay.core.CdcRelay;

/**
 * The relay's meters (README.md, "Metrics"):
 * <ul>
 * <li>{@code clara.relay.commit.to.publish}: from a change's commit (the Debezium source's
 * {@code ts_ms}) to Kafka's acknowledgement of the batch carrying its record;</li>
 * <li>{@code clara.relay.records.published}, tag {@code topic}: records Kafka acknowledged (the
 * topics are the configured routes, a fixed set);</li>
 * <li>{@code clara.relay.slot.lag} (bytes): {@code pg_current_wal_lsn()} minus the slot's
 * confirmed position, read every {@code clara.relay.metrics.slot-lag-interval}; absent (NaN)
 * while it cannot be read.</li>
 * </ul>
 */
@Component
@ConditionalOnProperty(name = "clara.relay.mode", havingValue = "relay", matchIfMissing = true)
class RelayMetrics implements SmartLifecycle {

	private final CdcRelay relay;

	private final MeterRegistry meters;

	private final Duration slotLagInterval;

	private final Timer commitToPublish;

	private final Map<String, Counter> published = new ConcurrentHashMap<>();

	/** The last slot lag read, or -1 when it could not be read. */
	private final AtomicLong slotLag = new AtomicLong(-1);

	private volatile ScheduledExecutorService poller;

	RelayMetrics(CdcRelay relay, MeterRegistry meters, RelayMetricsProperties properties) {
		this.relay = relay;
		this.meters = meters;
		this.slotLagInterval = properties.slotLagInterval();
		this.commitToPublish = Timer.builder("clara.relay.commit.to.publish")
			.description("from a change's commit in PostgreSQL to Kafka's acknowledgement of its record")
			.publishPercentileHistogram()
			.register(meters);
		Gauge.builder("clara.relay.slot.lag", this.slotLag, (lag) -> (lag.get() < 0) ? Double.NaN : lag.get())
			.description("WAL bytes the relay's replication slot has not confirmed")
			.baseUnit("bytes")
			.tag("slot", relay.settings().slotName())
			.register(meters);
		relay.monitor().observe(this::acknowledged);
	}

	private void acknowledged(String topic, Instant commitTime, Instant acknowledgedAt) {
		this.published.computeIfAbsent(topic, name -> Counter.builder("clara.relay.records.published")
			.description("records Kafka acknowledged")
			.tag("topic", name)
			.register(this.meters)).increment();
		if (commitTime != null) {
			Duration latency = Duration.between(commitTime, acknowledgedAt);
			// the commit is stamped by the database server's clock: one running ahead would give a negative time
			this.commitToPublish.record(latency.isNegative() ? Duration.ZERO : latency);
		}
	}

	private void readSlotLag() {
		try {
			Long lag = this.relay.slotLagBytes();
			this.slotLag.set((lag != null) ? lag : -1);
		}
		catch (RuntimeException ex) {
			// a failed read must not end the polling (an exception would cancel the schedule)
			this.slotLag.set(-1);
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(work -> {
			Thread thread = new Thread(work, "clara-relay-slot-lag");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.slotLagInterval.toMillis();
		executor.scheduleWithFixedDelay(this::readSlotLag, 0, millis, TimeUnit.MILLISECONDS);
		this.poller = executor;
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.poller;
		if (executor != null) {
			executor.shutdownNow();
			this.poller = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.poller != null;
	}

}
