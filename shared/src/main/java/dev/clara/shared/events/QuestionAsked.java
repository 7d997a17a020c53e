package dev.clara.shared.events;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A visitor asked a question and Clara answered it. Written to the outbox in the chat turn's
 * transaction; the gap detector and analysts consume it from the questions topic.
 *
 * @param conversationId the widget session's conversation
 * @param messageId the visitor message's client-generated id
 * @param question what the visitor asked
 * @param answer what Clara replied
 * @param bestMatchId the closest active Q&A pair, or null when the knowledge base had none
 * @param similarity cosine similarity of the best match (0 when none)
 * @param threshold the confidence threshold in force for this answer
 * @param gapDetected whether {@code similarity < threshold}
 * @param embeddingModel the model the question was embedded with
 * @param askedAt when the visitor's message was recorded
 * @param endUserId the verified signed-in user who asked ({@code end_users.id}), or null for an
 * anonymous visitor; added to v1 as an optional property (consumers of v1 ignore properties they
 * do not know, so no version change was needed)
 */
public record QuestionAsked(UUID conversationId, UUID messageId, String question, String answer, UUID bestMatchId,
		double similarity, double threshold, boolean gapDetected, String embeddingModel, Instant askedAt,
		UUID endUserId) {

	public static final String TYPE = "QuestionAsked";

	public static final int VERSION = 1;

	/** Added within version 1: events written before it lack it (an anonymous visitor, then). */
	public static final Set<String> OPTIONAL = Set.of("end_user_id");

	/** An anonymous visitor's question. */
	public QuestionAsked(UUID conversationId, UUID messageId, String question, String answer, UUID bestMatchId,
			double similarity, double threshold, boolean gapDetected, String embeddingModel, Instant askedAt) {
		this(conversationId, messageId, question, answer, bestMatchId, similarity, threshold, gapDetected,
				embeddingModel, askedAt, null);
	}

}
