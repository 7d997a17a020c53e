package dev.clara.chat.owner.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clara.chat.web.ApiProblem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bounds of one replica's streams: per workspace, in all, and per slow stream. */
class LiveStreamsTests {

	private final LiveStreams streams = new LiveStreams(
			new LiveProperties(true, 2, 3, Duration.ofHours(1), Duration.ofMinutes(30), Duration.ofSeconds(3), 4, 1));

	@AfterEach
	void close() {
		this.streams.close();
	}

	@Test
	void aWorkspaceAndTheReplicaHoldAtMostTheirLimit() {
		this.streams.start();
		UUID workspace = UUID.randomUUID();
		LiveStream first = this.streams.open(workspace, hello());
		this.streams.open(workspace, hello());
		assertThat(this.streams.openStreams(workspace)).isEqualTo(2);
		assertThatThrownBy(() -> this.streams.open(workspace, hello())).isInstanceOfSatisfying(ApiProblem.class,
				problem -> {
					assertThat(problem.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
					assertThat(problem.retryAfter()).isPositive();
				});
		this.streams.open(UUID.randomUUID(), hello());
		assertThatThrownBy(() -> this.streams.open(UUID.randomUUID(), hello()))
			.isInstanceOfSatisfying(ApiProblem.class,
					problem -> assertThat(problem.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS));
		assertThat(this.streams.openStreams()).isEqualTo(3);

		// a stream that ends (disconnect, timeout) gives its place back, once
		first.ended();
		first.ended();
		assertThat(this.streams.openStreams(workspace)).isEqualTo(1);
		assertThat(this.streams.openStreams()).isEqualTo(2);
		assertThat(this.streams.watched(workspace)).isTrue();
		this.streams.open(workspace, hello());
		assertThat(this.streams.openStreams(workspace)).isEqualTo(2);
	}

	@Test
	void noStreamOpensWhileShuttingDownAndShutdownEndsThemAll() {
		UUID workspace = UUID.randomUUID();
		assertThatThrownBy(() -> this.streams.open(workspace, hello())).isInstanceOfSatisfying(ApiProblem.class,
				problem -> assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
		this.streams.start();
		this.streams.open(workspace, hello());
		this.streams.stop();
		assertThat(this.streams.openStreams()).isZero();
		assertThat(this.streams.watched(workspace)).isFalse();
	}

	@Test
	void aStreamThatFallsTooFarBehindIsClosedOnceAndTakesNoMore() {
		List<Runnable> neverRun = new ArrayList<>();
		AtomicInteger closed = new AtomicInteger();
		UUID workspace = UUID.randomUUID();
		LiveStream stream = new LiveStream(workspace, new SseEmitter(), 3, neverRun::add, closed::incrementAndGet);
		LiveEvent event = new LiveEvent(workspace, "gap", "{}");
		for (int i = 0; i < 3; i++) {
			stream.send(event);
		}
		// one drain task for the stream, however many events wait
		assertThat(neverRun).hasSize(1);
		assertThat(closed).hasValue(0);
		stream.send(event);
		assertThat(closed).hasValue(1);
		stream.send(event);
		stream.heartbeat();
		stream.closeQuietly();
		assertThat(closed).hasValue(1);
		assertThat(neverRun).hasSize(1);
	}

	private static SseEmitter.SseEventBuilder hello() {
		return SseEmitter.event().name("hello").data("{}");
	}

}
