package dev.clara.chat.owner.live;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.clara.chat.web.ApiProblem;
import jakarta.annotation.PreDestroy;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * This replica's open event streams, by workspace: bounded per workspace and in all, fanned out to
 * by the one Kafka consumer, kept alive by one heartbeat thread, written by a few sender threads.
 * An idle stream costs an open async connection and an empty queue; no thread, no consumer, no query.
 */
@Component
class LiveStreams implements SmartLifecycle {

	/** When a refused client should try again: about when a stream of a closed tab has been noticed gone. */
	private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

	private final LiveProperties properties;

	private final Map<UUID, Set<LiveStream>> byWorkspace = new ConcurrentHashMap<>();

	private final AtomicInteger open = new AtomicInteger();

	private final ThreadPoolExecutor senders;

	private final ScheduledExecutorService heartbeats;

	private volatile boolean running;

	LiveStreams(LiveProperties properties) {
		this.properties = properties;
		AtomicInteger threads = new AtomicInteger();
		// a queue as long as there may be streams: each stream has at most one drain task queued
		this.senders = new ThreadPoolExecutor(properties.senders(), properties.senders(), 60, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(Math.max(1, properties.maxStreams())), runnable -> {
					Thread thread = new Thread(runnable, "live-sender-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "live-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		long every = properties.heartbeat().toMillis();
		this.heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
	}

	/**
	 * A new stream for the workspace's owner that starts with {@code hello}, registered only after
	 * it, so no event can overtake it.
	 * @throws ApiProblem 429 when the workspace or this replica has as many streams as it may
	 */
	LiveStream open(UUID workspaceId, SseEmitter.SseEventBuilder hello) {
		if (!this.running) {
			// the moments after the web server starts and before it stops
			throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Unavailable",
					"This server is starting or shutting down; reconnect in a moment");
		}
		if (this.open.incrementAndGet() > this.properties.maxStreams()) {
			this.open.decrementAndGet();
			throw tooMany("This server has as many live update streams open as it may; try again later");
		}
		SseEmitter emitter = new SseEmitter(this.properties.streamTimeout().toMillis());
		try {
			// before the handler returns the emitter, a send is only buffered: it cannot fail on I/O
			emitter.send(hello);
		}
		catch (IOException ex) {
			this.open.decrementAndGet();
			throw new IllegalStateException("an unstarted stream refused its first event", ex);
		}
		AtomicReference<LiveStream> self = new AtomicReference<>();
		LiveStream stream = new LiveStream(workspaceId, emitter, this.properties.queueCapacity(), this.senders,
				() -> forget(self.get()));
		self.set(stream);
		for (;;) {
			Set<LiveStream> mine = this.byWorkspace.computeIfAbsent(workspaceId, id -> ConcurrentHashMap.newKeySet());
			synchronized (mine) {
				if (this.byWorkspace.get(workspaceId) != mine) {
					// emptied and dropped meanwhile: take the workspace's new set
					continue;
				}
				if (mine.size() >= this.properties.maxStreamsPerWorkspace()) {
					this.open.decrementAndGet();
					throw tooMany("This workspace has " + this.properties.maxStreamsPerWorkspace()
							+ " live update streams open already; close a tab or try again later");
				}
				mine.add(stream);
				break;
			}
		}
		emitter.onCompletion(stream::ended);
		emitter.onTimeout(stream::closeQuietly);
		emitter.onError(failure -> stream.ended());
		return stream;
	}

	/** Whether any stream of this replica watches the workspace (read before a record is parsed). */
	boolean watched(UUID workspaceId) {
		Set<LiveStream> streams = this.byWorkspace.get(workspaceId);
		return streams != null && !streams.isEmpty();
	}

	/** Queues the event on every stream of its workspace on this replica, and on no other. */
	void publish(LiveEvent event) {
		Set<LiveStream> streams = this.byWorkspace.get(event.workspaceId());
		if (streams != null) {
			streams.forEach(stream -> stream.send(event));
		}
	}

	int openStreams() {
		return this.open.get();
	}

	int openStreams(UUID workspaceId) {
		Set<LiveStream> streams = this.byWorkspace.get(workspaceId);
		return streams == null ? 0 : streams.size();
	}

	private void heartbeat() {
		this.byWorkspace.values().forEach(streams -> streams.forEach(LiveStream::heartbeat));
	}

	private void forget(LiveStream stream) {
		Set<LiveStream> streams = this.byWorkspace.get(stream.workspaceId());
		if (streams == null) {
			return;
		}
		synchronized (streams) {
			if (streams.remove(stream)) {
				this.open.decrementAndGet();
			}
			if (streams.isEmpty()) {
				// an empty set leaves the map, so the map holds only watched workspaces
				this.byWorkspace.remove(stream.workspaceId(), streams);
			}
		}
	}

	private static ApiProblem tooMany(String detail) {
		return new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "Too many streams", detail, List.of(),
				RETRY_AFTER);
	}

	@Override
	public void start() {
		this.running = true;
	}

	/**
	 * Ends every stream first thing at shutdown (the highest phase stops first), so the web
	 * server's graceful shutdown does not wait for streams that never end by themselves; the
	 * browsers reconnect to another replica.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.byWorkspace.values().forEach(streams -> streams.forEach(LiveStream::closeQuietly));
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@PreDestroy
	void close() {
		stop();
		this.heartbeats.shutdownNow();
		this.senders.shutdownNow();
	}

}
