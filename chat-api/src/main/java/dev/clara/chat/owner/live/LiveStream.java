package dev.clara.chat.owner.live;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter.SseEventBuilder;

/**
 * One owner's open event stream: an async response (no thread of its own while idle) and the few
 * events waiting to be written to it. Writes happen on the shared sender threads, one batch per
 * stream at a time, so the Kafka consumer never blocks on a slow client; a stream that falls
 * {@code capacity} events behind is closed (its browser reconnects and refetches).
 */
final class LiveStream {

	private final UUID workspaceId;

	private final SseEmitter emitter;

	private final int capacity;

	private final Executor senders;

	private final Runnable onClose;

	private final Queue<SseEventBuilder> pending = new ArrayDeque<>();

	private boolean draining;

	private boolean closed;

	LiveStream(UUID workspaceId, SseEmitter emitter, int capacity, Executor senders, Runnable onClose) {
		this.workspaceId = workspaceId;
		this.emitter = emitter;
		this.capacity = capacity;
		this.senders = senders;
		this.onClose = onClose;
	}

	UUID workspaceId() {
		return this.workspaceId;
	}

	SseEmitter emitter() {
		return this.emitter;
	}

	void send(LiveEvent event) {
		enqueue(SseEmitter.event().name(event.name()).data(event.data()));
	}

	/** A comment line: keeps proxies from closing an idle stream, and finds a closed connection. */
	void heartbeat() {
		enqueue(SseEmitter.event().comment("keep-alive"));
	}

	private void enqueue(SseEventBuilder event) {
		boolean startDrain;
		boolean tooFarBehind;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			tooFarBehind = this.pending.size() >= this.capacity;
			if (!tooFarBehind) {
				this.pending.add(event);
			}
			startDrain = !tooFarBehind && !this.draining;
			this.draining |= startDrain;
		}
		if (tooFarBehind) {
			// better a reconnect and a refetch than unbounded memory
			closeQuietly();
			return;
		}
		if (startDrain) {
			try {
				this.senders.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				closeQuietly();
			}
		}
	}

	private void drain() {
		for (;;) {
			SseEventBuilder next;
			synchronized (this) {
				next = this.pending.poll();
				if (next == null || this.closed) {
					this.draining = false;
					return;
				}
			}
			try {
				this.emitter.send(next);
			}
			catch (IOException | IllegalStateException ex) {
				// the client went away (or the response already ended): nothing to tell anyone
				closeQuietly();
			}
		}
	}

	/** Ends the response normally (a timeout, too slow, shutting down); the browser reconnects. */
	void closeQuietly() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.pending.clear();
		}
		this.onClose.run();
		try {
			this.emitter.complete();
		}
		catch (RuntimeException ex) {
			// already completed by the container
		}
	}

	/** The container ended the response (disconnect, timeout, error): forget the stream. */
	void ended() {
		synchronized (this) {
			this.closed = true;
			this.pending.clear();
		}
		this.onClose.run();
	}

}
