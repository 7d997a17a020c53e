package dev.clara.chat.turn;

import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * One streamed reply as server-sent events: {@code delta} events while the answer is written,
 * then one {@code message} event with the reply as the JSON path returns it (or one {@code error}
 * event when the turn could not be stored). Sending never throws: a visitor who left must not stop
 * the turn, which goes on to be answered and stored without them.
 */
final class TurnStream {

	private static final Logger log = LoggerFactory.getLogger(TurnStream.class);

	private final SseEmitter emitter;

	private final JsonMapper json;

	private volatile boolean clientGone;

	private volatile boolean deltaSent;

	TurnStream(Duration timeout, JsonMapper json) {
		this.emitter = new SseEmitter(timeout.toMillis());
		this.json = json;
		this.emitter.onTimeout(() -> this.clientGone = true);
		this.emitter.onError(failure -> this.clientGone = true);
	}

	SseEmitter emitter() {
		return this.emitter;
	}

	/** A piece of the answer as the LLM writes it. */
	void delta(String text) {
		this.deltaSent = true;
		send("delta", this.json.writeValueAsString(Map.of("content", text)));
	}

	/**
	 * The reply, as stored. An answer nobody streamed (extractive, a replay) goes out as one delta
	 * first, so a client reading only deltas still sees it whole.
	 */
	void finish(ChatReply reply) {
		if (!this.deltaSent) {
			delta(reply.message().content());
		}
		send("message", this.json.writeValueAsString(reply));
		complete();
	}

	/** The turn failed after the stream began: too late for a status code, so an error event says so. */
	void fail() {
		send("error", this.json.writeValueAsString(Map.of("title", "Internal error", "status", 500, "detail",
				"Something went wrong on our side; please try again")));
		complete();
	}

	private void send(String event, String data) {
		if (this.clientGone) {
			return;
		}
		try {
			this.emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
		}
		catch (Exception ex) {
			// the visitor closed the page or the async request timed out; the turn carries on
			this.clientGone = true;
			log.debug("Stream client gone while sending {}: {}", event, ex.getClass().getSimpleName());
		}
	}

	private void complete() {
		if (this.clientGone) {
			return;
		}
		try {
			this.emitter.complete();
		}
		catch (Exception ex) {
			this.clientGone = true;
		}
	}

}
