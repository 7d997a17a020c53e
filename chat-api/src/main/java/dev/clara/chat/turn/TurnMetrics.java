package dev.clara.chat.turn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The chat turn's meters (README.md, "Metrics"): a timer per stage ({@code clara.chat.turn.stage},
 * the figures {@code ./clara bench chat} reads), the whole turn ({@code clara.chat.turn}) and the
 * turns by outcome ({@code clara.chat.turns}). Tags are fixed words only: a workspace or a question
 * never becomes a tag, so a tenant cannot grow the number of series.
 */
final class TurnMetrics {

	/** A turn answered by a pair or a document passage. */
	static final String ANSWERED = "answered";

	/** A turn no pair or passage answered: the gap detector records it. */
	static final String GAP = "gap";

	/** A turn that failed (provider, database, too busy): the visitor got an error. */
	static final String ERROR = "error";

	private final MeterRegistry meters;

	private final Map<String, Timer> stages = new ConcurrentHashMap<>();

	private final Map<String, Timer> turns = new ConcurrentHashMap<>();

	private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

	TurnMetrics(MeterRegistry meters) {
		this.meters = meters;
		// registered up front, so a scrape shows every outcome at 0 before the first turn
		for (String outcome : new String[] { ANSWERED, GAP, ERROR }) {
			outcome(outcome);
		}
	}

	<T> T stage(String stage, Supplier<T> work) {
		return this.stages.computeIfAbsent(stage, name -> Timer.builder("clara.chat.turn.stage")
			.description("one stage of a chat turn")
			.tag("stage", name)
			.publishPercentileHistogram()
			.register(this.meters)).record(work);
	}

	/** A turn stored with its reply: its outcome, and its time since {@code startedNanos} ({@link System#nanoTime}). */
	void finished(long startedNanos, String outcome) {
		outcome(outcome).increment();
		this.turns.computeIfAbsent(outcome, name -> Timer.builder("clara.chat.turn")
			.description("a whole chat turn, from embedding the question to storing the reply")
			.tag("outcome", name)
			.publishPercentileHistogram()
			.register(this.meters)).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
	}

	/** A turn that failed before its reply was stored. */
	void failed() {
		outcome(ERROR).increment();
	}

	private Counter outcome(String outcome) {
		return this.outcomes.computeIfAbsent(outcome, name -> Counter.builder("clara.chat.turns")
			.description("chat turns by outcome")
			.tag("outcome", name)
			.register(this.meters));
	}

}
