package dev.clara.chat.turn;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Turns being answered right now on this replica, so a retry storm of one message (streamed or
 * not) costs one provider call: the first request leads, the others wait for its reply.
 */
@Component
class TurnsInFlight {

	private final ConcurrentHashMap<String, Entry> turns = new ConcurrentHashMap<>();

	private record Entry(String content, CompletableFuture<ChatReply> reply) {
	}

	/** A request's place in its turn: the leader answers it and must end the claim; a follower awaits {@link #reply}. */
	static final class Claim {

		private final boolean leads;

		private final CompletableFuture<ChatReply> reply;

		private final Runnable release;

		private Claim(boolean leads, CompletableFuture<ChatReply> reply, Runnable release) {
			this.leads = leads;
			this.reply = reply;
			this.release = release;
		}

		boolean leads() {
			return this.leads;
		}

		CompletableFuture<ChatReply> reply() {
			return this.reply;
		}

		void complete(ChatReply answered) {
			// the reply is stored before the claim ends, so a later request finds it in the database
			this.reply.complete(answered);
			this.release.run();
		}

		void fail(RuntimeException failure) {
			this.reply.completeExceptionally(failure);
			this.release.run();
		}

	}

	/** Throws the 422 {@code Message id reused} when the turn in flight has other content. */
	Claim claim(ChatRequest request) {
		String key = request.workspaceId() + "|" + request.sessionToken() + "|" + request.messageId();
		Entry mine = new Entry(request.content(), new CompletableFuture<>());
		Entry leader = this.turns.putIfAbsent(key, mine);
		if (leader == null) {
			return new Claim(true, mine.reply(), () -> this.turns.remove(key, mine));
		}
		if (!leader.content().equals(request.content())) {
			throw ChatTurnService.conflictingRetry(request.messageId());
		}
		return new Claim(false, leader.reply(), () -> {
		});
	}

}
