package dev.clara.gaps;

import java.time.Duration;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The error handler's back-off choice and the settings' checks, without servers. */
class GapConfigurationTests {

	private static final ConsumerRecord<?, ?> RECORD = new ConsumerRecord<>("clara.questions", 0, 0, "k", "v");

	private final ExponentialBackOffWithMaxRetries bounded = new ExponentialBackOffWithMaxRetries(5);

	@Test
	void aDatabaseOutageIsWaitedForWithoutLimit() {
		BackOff backOff = GapConfiguration.backOffFor(this.bounded)
			.apply(RECORD, new ListenerExecutionFailedException("listener failed",
					new CannotGetJdbcConnectionException("connection refused")));
		BackOffExecution execution = backOff.start();
		for (int i = 0; i < 1000; i++) {
			assertThat(execution.nextBackOff()).isBetween(1L, 10_000L);
		}
		assertThat(GapConfiguration.isTransientDatabaseFailure(new CannotAcquireLockException("deadlock"))).isTrue();
	}

	@Test
	void otherFailuresGetTheBoundedBackOff() {
		assertThat(GapConfiguration.backOffFor(this.bounded)
			.apply(RECORD, new ListenerExecutionFailedException("listener failed",
					new DataIntegrityViolationException("check violation"))))
			.isSameAs(this.bounded);
		assertThat(GapConfiguration.backOffFor(this.bounded).apply(RECORD, new IllegalStateException("bug")))
			.isSameAs(this.bounded);
	}

	@Test
	void groupingThresholdIsTheOverrideElseTheModels() {
		GapProperties defaults = GapProperties.defaults();
		assertThat(defaults.groupingThreshold(0.50)).as("the database's value").isEqualTo(0.50);
		assertThat(defaults.withGrouping(0.7, Linkage.CENTROID).groupingThreshold(0.50)).isEqualTo(0.7);
	}

	@Test
	void defaultsAreTheDeclaredOnes() {
		GapProperties defaults = GapProperties.defaults();
		assertThat(defaults.consumer()).isEqualTo("gap-detector");
		assertThat(defaults.groupingThreshold()).isNull();
		assertThat(defaults.linkage()).isEqualTo(Linkage.NEAREST);
		assertThat(defaults.countUpdateInterval()).isEqualTo(Duration.ofDays(1));
	}

	@Test
	void settingsOutOfRangeAreRejectedAtStart() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new GapProperties("gap-detector", 1.5, Linkage.NEAREST, Duration.ofDays(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new GapProperties("gap-detector", null, Linkage.NEAREST, Duration.ZERO));
	}

}
