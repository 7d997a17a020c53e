package dev.clara.embedding.training;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The trainer's meters besides {@code clara.trainer.models} (README.md, "Metrics"): every run by
 * its outcome ({@code clara.trainer.runs}, tag {@code outcome}: trained, unchanged,
 * nothing_to_train, workspace_gone, failed), and the highest model version this worker stored
 * ({@code clara.trainer.model.version.max}). Versions count per workspace, so the gauge is one
 * number for the whole worker, never a series per workspace.
 */
final class TrainerMetrics {

	private final MeterRegistry meters;

	private final Map<String, Timer> runs = new ConcurrentHashMap<>();

	private final AtomicInteger highestVersion = new AtomicInteger();

	TrainerMetrics(MeterRegistry meters) {
		this.meters = meters;
		Gauge.builder("clara.trainer.model.version.max", this.highestVersion, AtomicInteger::get)
			.description("the highest answer-model version this worker stored since it started")
			.register(meters);
	}

	/** One run for one workspace, from its claim to its outcome. */
	void run(String outcome, long startedNanos) {
		String tag = outcome.toLowerCase(Locale.ROOT);
		this.runs.computeIfAbsent(tag, name -> Timer.builder("clara.trainer.runs")
			.description("answer-model training runs, by outcome")
			.tag("outcome", name)
			.register(this.meters)).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
	}

	void stored(int version) {
		this.highestVersion.accumulateAndGet(version, Math::max);
	}

}
