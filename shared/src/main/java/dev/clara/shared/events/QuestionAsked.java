package dev.clara.shared.events;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
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
 * @param questionEmbedding the question's vector by {@code embeddingModel}, the one the chat turn
 * searched with, when {@code gapDetected} (the gap detector groups the gap with it instead of
 * embedding the question again); null for an answered question; added to v1 as an optional property
 */
public record QuestionAsked(UUID conversationId, UUID messageId, String question, String answer, UUID bestMatchId,
		double similarity, double threshold, boolean gapDetected, String embeddingModel, Instant askedAt,
		UUID endUserId, float[] questionEmbedding) {

	public static final String TYPE = "QuestionAsked";

	public static final int VERSION = 1;

	/** Added within version 1: events written before them lack them (an anonymous visitor, no vector). */
	public static final Set<String> OPTIONAL = Set.of("end_user_id", "question_embedding");

	/** A question without its vector. */
	public QuestionAsked(UUID conversationId, UUID messageId, String question, String answer, UUID bestMatchId,
			double similarity, double threshold, boolean gapDetected, String embeddingModel, Instant askedAt,
			UUID endUserId) {
		this(conversationId, messageId, question, answer, bestMatchId, similarity, threshold, gapDetected,
				embeddingModel, askedAt, endUserId, null);
	}

	/** An anonymous visitor's question. */
	public QuestionAsked(UUID conversationId, UUID messageId, String question, String answer, UUID bestMatchId,
			double similarity, double threshold, boolean gapDetected, String embeddingModel, Instant askedAt) {
		this(conversationId, messageId, question, answer, bestMatchId, similarity, threshold, gapDetected,
				embeddingModel, askedAt, null);
	}

	// a record compares arrays by reference: two events with the same vector are equal
	@Override
	public boolean equals(Object other) {
		return other instanceof QuestionAsked that && Objects.equals(this.conversationId, that.conversationId)
				&& Objects.equals(this.messageId, that.messageId) && Objects.equals(this.question, that.question)
				&& Objects.equals(this.answer, that.answer) && Objects.equals(this.bestMatchId, that.bestMatchId)
				&& Double.compare(this.similarity, that.similarity) == 0
				&& Double.compare(this.threshold, that.threshold) == 0 && this.gapDetected == that.gapDetected
				&& Objects.equals(this.embeddingModel, that.embeddingModel)
				&& Objects.equals(this.askedAt, that.askedAt) && Objects.equals(this.endUserId, that.endUserId)
				&& Arrays.equals(this.questionEmbedding, that.questionEmbedding);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.conversationId, this.messageId, this.question, this.answer, this.bestMatchId,
				this.similarity, this.threshold, this.gapDetected, this.embeddingModel, this.askedAt, this.endUserId,
				Arrays.hashCode(this.questionEmbedding));
	}

}
