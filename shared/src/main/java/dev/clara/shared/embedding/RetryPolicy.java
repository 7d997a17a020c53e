package dev.clara.shared.embedding;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How a remote provider retries: bounded attempts, exponential back-off with full jitter (a random
 * wait between zero and the exponential cap, so many replicas that failed together do not retry
 * together), and the server's {@code Retry-After} honoured as given.
 *
 * @param maxAttempts total attempts including the first, at least 1
 * @param baseDelay the back-off cap after the first failure; it doubles per failure
 * @param maxDelay the back-off cap never grows beyond this
 * @param maxRetryAfter a {@code Retry-After} longer than this is not waited out in-process: the
 * call fails as retryable and the caller (a Kafka consumer, say) retries later instead of holding
 * a thread
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {

	public static final int DEFAULT_MAX_ATTEMPTS = 5;

	public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(500);

	public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(20);

	public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);

	public RetryPolicy {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
		}
		requireNonNegative(baseDelay, "baseDelay");
		requireNonNegative(maxDelay, "maxDelay");
		requireNonNegative(maxRetryAfter, "maxRetryAfter");
	}

	/** The default delays with the given number of attempts. */
	public static RetryPolicy of(int maxAttempts) {
		return new RetryPolicy(maxAttempts, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, DEFAULT_MAX_RETRY_AFTER);
	}

	public static RetryPolicy defaults() {
		return of(DEFAULT_MAX_ATTEMPTS);
	}

	/** Whether another attempt may follow {@code failedAttempts} failures. */
	public boolean canRetry(int failedAttempts) {
		return failedAttempts < this.maxAttempts;
	}

	/**
	 * The wait before the next attempt, or empty when the server asks for a longer wait than
	 * {@link #maxRetryAfter()}.
	 * @param failedAttempts failures so far, at least 1
	 * @param retryAfter the server's {@code Retry-After}, when it sent one
	 */
	public Optional<Duration> delayAfter(int failedAttempts, Optional<Duration> retryAfter, RandomGenerator random) {
		if (retryAfter.isPresent()) {
			Duration wanted = retryAfter.get();
			return (wanted.compareTo(this.maxRetryAfter) > 0) ? Optional.empty() : Optional.of(wanted);
		}
		return Optional.of(backoff(failedAttempts, random));
	}

	/** Full jitter: uniform in [0, min(maxDelay, baseDelay * 2^(failedAttempts-1))]. */
	public Duration backoff(int failedAttempts, RandomGenerator random) {
		if (failedAttempts < 1) {
			throw new IllegalArgumentException("failedAttempts must be at least 1");
		}
		// shift capped so the doubling cannot overflow; by 2^20 any sane base is past maxDelay anyway
		long exponential = this.baseDelay.toMillis() << Math.min(failedAttempts - 1, 20);
		long cap = Math.min(this.maxDelay.toMillis(), (exponential < 0) ? Long.MAX_VALUE : exponential);
		return Duration.ofMillis((cap == 0) ? 0 : random.nextLong(cap + 1));
	}

	private static void requireNonNegative(Duration duration, String name) {
		Objects.requireNonNull(duration, name);
		if (duration.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative");
		}
	}

}
