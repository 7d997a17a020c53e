package dev.clara.gaps;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * The consumer's meters (README.md, "Metrics"), beside {@link Gaps}' counters: each event by type
 * ({@code clara.gaps.processed}, and its time in {@code clara.gaps.processing}), and the gaps an
 * event closed ({@code clara.gaps.closed}, tag {@code by}: pair or document). The tags are the
 * fixed event types, never a workspace.
 */
@Component
class GapMetrics {

	static final String QUESTION_ASKED = "question_asked";

	static final String QA_PAIR_EMBEDDED = "qa_pair_embedded";

	static final String DOCUMENT_INGESTED = "document_ingested";

	static final String ANSWER_RATED = "answer_rated";

	private final MeterRegistry meters;

	private final Map<String, Timer> processing = new ConcurrentHashMap<>();

	private final Map<String, Counter> processed = new ConcurrentHashMap<>();

	private final Map<String, Counter> closed = new ConcurrentHashMap<>();

	GapMetrics(MeterRegistry meters) {
		this.meters = meters;
	}

	/** Applies one event, timed and counted when it was applied (a poison record throws, uncounted). */
	<T> T processed(String event, Supplier<T> work) {
		T result = timer(event).record(work);
		counter(event).increment();
		return result;
	}

	/**
	 * Applies a batch of {@code events} events together: each is counted, and timed at its share of
	 * the batch's time, so the timer's count stays the events applied and its sum the time spent.
	 */
	<T> T processedAll(String event, int events, Supplier<T> work) {
		long started = System.nanoTime();
		T result = work.get();
		Duration share = Duration.ofNanos((System.nanoTime() - started) / Math.max(1, events));
		Timer timer = timer(event);
		for (int i = 0; i < events; i++) {
			timer.record(share);
		}
		counter(event).increment(events);
		return result;
	}

	private Timer timer(String event) {
		return this.processing.computeIfAbsent(event, name -> Timer.builder("clara.gaps.processing")
			.description("applying one event, its database transaction included (a batch's share)")
			.tag("event", name)
			.publishPercentileHistogram()
			.register(this.meters));
	}

	private Counter counter(String event) {
		return this.processed.computeIfAbsent(event, name -> Counter.builder("clara.gaps.processed")
			.description("events applied")
			.tag("event", name)
			.register(this.meters));
	}

	void closed(String by, int gaps) {
		this.closed.computeIfAbsent(by, name -> Counter.builder("clara.gaps.closed")
			.description("gaps closed because a Q&A pair or a document answers them")
			.tag("by", name)
			.register(this.meters)).increment(gaps);
	}

}
