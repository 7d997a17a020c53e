package dev.clara.chat.turn;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clara.chat.answer.Answer;
import dev.clara.chat.answer.AnswerComposer;
import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.workspace.WorkspaceSettings;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A turn answered as a stream of server-sent events. Everything that can refuse the request
 * (a stored message with other content, the search) happens on the request thread, before the
 * response is committed, so it still gets its status code. The LLM is then read on a worker of our
 * own, not the servlet container's: it reads the provider's stream to its end and stores the turn
 * whether or not the visitor is still there, and no transaction is open until it stores.
 */
@Service
class ChatStreamService {

	private static final Logger log = LoggerFactory.getLogger(ChatStreamService.class);

	/** As many streams as the container has request threads by default; one more is refused, not queued. */
	private static final int MAX_STREAMS = 200;

	private final ChatTurnService turns;

	private final TurnsInFlight inFlight;

	private final AnswerComposer composer;

	private final JsonMapper json;

	/** Longer than any answer may take, so the container's async time-out does not end a stream early. */
	private final Duration streamTimeout;

	private final ThreadPoolExecutor workers;

	ChatStreamService(ChatTurnService turns, TurnsInFlight inFlight, AnswerComposer composer, JsonMapper json,
			ChatProperties properties) {
		this.turns = turns;
		this.inFlight = inFlight;
		this.composer = composer;
		this.json = json;
		this.streamTimeout = properties.completionTimeout().plusSeconds(30);
		this.workers = new ThreadPoolExecutor(0, MAX_STREAMS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
				namedThreads());
	}

	SseEmitter stream(ChatRequest request, WorkspaceSettings settings, Optional<ConversationStore.Session> session) {
		// a follower awaits the leader (ChatTurnService#answer says why the session read before is enough)
		TurnsInFlight.Claim claim = this.inFlight.claim(request);
		if (!claim.leads()) {
			TurnStream stream = newStream();
			claim.reply().whenComplete((reply, failure) -> {
				if (failure == null) {
					stream.finish(reply);
				}
				else {
					stream.fail();
				}
			});
			return stream.emitter();
		}
		PreparedTurn turn;
		try {
			Optional<ChatReply> stored = this.turns.storedReply(request, session);
			if (stored.isPresent()) {
				claim.complete(stored.get());
				return replay(stored.get());
			}
			turn = this.turns.prepare(request, settings);
		}
		catch (RuntimeException ex) {
			this.turns.turnFailed();
			claim.fail(ex);
			throw ex;
		}
		TurnStream stream = newStream();
		try {
			this.workers.execute(() -> answer(turn, claim, stream));
		}
		catch (RejectedExecutionException ex) {
			ApiProblem busy = new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Too busy",
					"Too many answers are being written right now; please try again shortly", List.of(),
					Duration.ofSeconds(5));
			this.turns.turnFailed();
			claim.fail(busy);
			throw busy;
		}
		return stream.emitter();
	}

	private void answer(PreparedTurn turn, TurnsInFlight.Claim claim, TurnStream stream) {
		try {
			Answer answer = this.turns.timed("answer",
					() -> this.composer.composeStreaming(turn.context(), turn.credentials(), stream::delta));
			ChatReply reply = this.turns.finish(turn, answer);
			claim.complete(reply);
			stream.finish(reply);
		}
		catch (RuntimeException ex) {
			log.error("Streamed turn failed", ex);
			this.turns.turnFailed();
			claim.fail(ex);
			stream.fail();
		}
	}

	/** A stored reply, streamed: one delta with the whole content, then the reply. */
	private SseEmitter replay(ChatReply reply) {
		TurnStream stream = newStream();
		stream.finish(reply);
		return stream.emitter();
	}

	private TurnStream newStream() {
		return new TurnStream(this.streamTimeout, this.json);
	}

	/** Lets the turns being streamed store themselves before the database goes away. */
	@PreDestroy
	void drain() throws InterruptedException {
		this.workers.shutdown();
		this.workers.awaitTermination(this.streamTimeout.toSeconds(), TimeUnit.SECONDS);
	}

	private static ThreadFactory namedThreads() {
		AtomicInteger count = new AtomicInteger();
		return work -> {
			Thread thread = new Thread(work, "clara-turn-stream-" + count.incrementAndGet());
			thread.setDaemon(false);
			return thread;
		};
	}

}
