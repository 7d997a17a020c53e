package dev.clara.shared.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A visitor rated one of Clara's answers (the widget's thumbs up or down). Written to the outbox
 * by the chat API in the transaction that stores the rating; the gap detector turns a
 * {@link #DOWN} into a gap of kind {@code feedback}. Every post is an event, the last one wins.
 *
 * @param conversationId the widget session's conversation
 * @param messageId the assistant message's id ({@code messages.message_id})
 * @param question the visitor message the answer replied to
 * @param answer the answer that was rated
 * @param matchedQaIds the Q&A pairs the answer was made from (empty when none)
 * @param confidence the answer's confidence, 0 to 1
 * @param rating {@link #UP} or {@link #DOWN}
 * @param comment the visitor's comment, or null
 * @param ratedAt when the rating was stored
 */
public record AnswerRated(UUID conversationId, UUID messageId, String question, String answer,
		List<UUID> matchedQaIds, double confidence, String rating, String comment, Instant ratedAt) {

	public static final String TYPE = "AnswerRated";

	public static final int VERSION = 1;

	public static final String UP = "up";

	public static final String DOWN = "down";

}
