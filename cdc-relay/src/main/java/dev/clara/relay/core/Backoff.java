package dev.clara.relay.core;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded exponential back-off: 100 ms doubling up to a ceiling, forever. */
final class Backoff {

	private static final long INITIAL_MS = 100;

	private final long maxMs;

	private int attempt;

	Backoff(Duration max) {
		this.maxMs = Math.max(INITIAL_MS, max.toMillis());
	}

	/** The delay before the next attempt (and counts it). */
	long next() {
		long delay = INITIAL_MS << Math.min(this.attempt, 20);
		this.attempt++;
		return Math.min(delay, this.maxMs);
	}

	int attempts() {
		return this.attempt;
	}

	void reset() {
		this.attempt = 0;
	}

	/** Sleeps the next delay in small steps, returning early (false) once {@code running} turns false. */
	boolean pause(BooleanSupplier running) throws InterruptedException {
		long until = System.nanoTime() + next() * 1_000_000L;
		while (System.nanoTime() < until) {
			if (!running.getAsBoolean()) {
				return false;
			}
			Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000L)));
		}
		return running.getAsBoolean();
	}

}
