package dev.clara.shared.embedding;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetryPolicyTests {

	private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000),
			Duration.ofSeconds(30));

	@Test
	void backoffIsFullJitterUnderAnExponentialCap() {
		RandomGenerator random = new SplittableRandom(42);
		for (int failed = 1; failed <= 8; failed++) {
			long cap = Math.min(1000, 100L << (failed - 1));
			long max = 0;
			for (int i = 0; i < 2000; i++) {
				long wait = this.policy.backoff(failed, random).toMillis();
				assertThat(wait).isBetween(0L, cap);
				max = Math.max(max, wait);
			}
			// spread over the whole range, not a fixed delay
			assertThat(max).isGreaterThan(cap * 9 / 10);
		}
	}

	@Test
	void backoffNeverOverflowsAfterManyFailures() {
		assertThat(this.policy.backoff(10_000, new SplittableRandom(1))).isLessThanOrEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void retryAfterIsHonouredAsGivenUpToTheLimit() {
		RandomGenerator random = new SplittableRandom(7);
		assertThat(this.policy.delayAfter(1, Optional.of(Duration.ofSeconds(2)), random))
			.contains(Duration.ofSeconds(2));
		assertThat(this.policy.delayAfter(1, Optional.of(Duration.ofSeconds(31)), random)).isEmpty();
		assertThat(this.policy.delayAfter(1, Optional.empty(), random)).get()
			.satisfies((wait) -> assertThat(wait).isLessThanOrEqualTo(Duration.ofMillis(100)));
	}

	@Test
	void attemptsAreBounded() {
		assertThat(this.policy.canRetry(4)).isTrue();
		assertThat(this.policy.canRetry(5)).isFalse();
		assertThat(RetryPolicy.of(1).canRetry(1)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.of(0));
	}

	@Test
	void retryAfterParsesSecondsDatesAndMilliseconds() {
		Instant now = Instant.parse("2025-01-31T12:00:00Z");
		assertThat(RetryAfter.parse("1", now)).contains(Duration.ofSeconds(1));
		assertThat(RetryAfter.parse(" 120 ", now)).contains(Duration.ofSeconds(120));
		assertThat(RetryAfter.parse("1.5", now)).contains(Duration.ofMillis(1500));
		assertThat(RetryAfter.parse("Fri, 31 Jan 2025 12:00:05 GMT", now)).contains(Duration.ofSeconds(5));
		// a date in the past means "now"
		assertThat(RetryAfter.parse("Fri, 31 Jan 2025 11:00:00 GMT", now)).contains(Duration.ZERO);
		assertThat(RetryAfter.parse("2", "250", now)).contains(Duration.ofMillis(250));
		assertThat(RetryAfter.parse("2", "nonsense", now)).contains(Duration.ofSeconds(2));
	}

	@Test
	void unreadableRetryAfterIsIgnored() {
		Instant now = Instant.now();
		assertThat(RetryAfter.parse(null, now)).isEmpty();
		assertThat(RetryAfter.parse("", now)).isEmpty();
		assertThat(RetryAfter.parse("-1", now)).isEmpty();
		assertThat(RetryAfter.parse("NaN", now)).isEmpty();
		assertThat(RetryAfter.parse("soon", now)).isEmpty();
	}

}
