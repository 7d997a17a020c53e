package dev.clara.chat.feedback;

import java.time.Instant;
import java.util.Optional;

import dev.clara.chat.feedback.FeedbackRepository.RatedAnswer;
import dev.clara.chat.feedback.FeedbackRepository.Stored;
import dev.clara.chat.web.ApiProblem;
import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.events.AnswerRated;
import dev.clara.shared.events.EventCodec;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores a visitor's rating and writes its {@code AnswerRated} outbox row in the same transaction
 * (the one writer of that event). The last rating of a message wins; posting the stored rating
 * and comment again writes nothing and publishes nothing. A thumbs-up on an answer asked in other
 * words than its pair's question also records a phrasing suggestion for the owner, in the same
 * transaction.
 */
@Service
class FeedbackService {

	/** The aggregate of the event in the outbox, as for the turn's QuestionAsked. */
	private static final String CONVERSATION = "conversation";

	private final FeedbackRepository repository;

	private final TransactionTemplate transactions;

	private final OutboxWriter outbox;

	FeedbackService(FeedbackRepository repository, TransactionTemplate transactions, OutboxWriter outbox) {
		this.repository = repository;
		this.transactions = transactions;
		this.outbox = outbox;
	}

	/** The rating now stored; a 404 when the message is not an answer of this session. */
	Stored rate(FeedbackRequest request) {
		return this.transactions.execute(status -> {
			// one answer for an unknown message, another session's message or a visitor's message:
			// the reply must not tell which message ids exist
			RatedAnswer rated = this.repository
				.ratedAnswer(request.workspaceId(), request.sessionToken(), request.messageId())
				.filter(answer -> answer.question() != null)
				.orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "Unknown message",
						"This conversation has no answer with the id " + request.messageId()));
			Optional<Instant> ratedAt = this.repository.upsert(request.workspaceId(), rated.conversationId(),
					request.messageId(), request.rating(), request.comment());
			ratedAt.ifPresent(at -> this.outbox.append(EventCodec.envelope(request.workspaceId(), at,
					new AnswerRated(rated.conversationId(), request.messageId(), rated.question(), rated.answer(),
							rated.matchedQaIds(), Math.max(0, Math.min(1, rated.confidence())), request.rating(),
							request.comment(), at)),
					CONVERSATION, rated.conversationId().toString()));
			if ("up".equals(request.rating()) && !rated.matchedQaIds().isEmpty()) {
				// the answer came from the first matched pair: a visitor who liked it in other words
				// offers those words to the owner as another question of the pair's answer group
				this.repository.suggestPhrasing(request.workspaceId(), rated.matchedQaIds().get(0), rated.question(),
						rated.conversationId(), request.messageId());
			}
			return this.repository.stored(request.workspaceId(), rated.conversationId(), request.messageId());
		});
	}

}
