package dev.clara.chat.feedback;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Ratings of assistant messages. Every statement names the workspace and the session token, so
 * the public path can rate only an answer of the caller's own conversation.
 */
@Repository
class FeedbackRepository {

	/**
	 * The assistant message of this session with the visitor message it answered (the latest
	 * visitor message before it), locked so that two ratings of it queue up.
	 */
	private static final String RATED_ANSWER = """
			SELECT c.id AS conversation_id, m.content AS answer,
			       ARRAY(SELECT CAST(e AS uuid) FROM jsonb_array_elements_text(
			             CASE WHEN jsonb_typeof(m.metadata -> 'matched_qa_ids') = 'array'
			                  THEN m.metadata -> 'matched_qa_ids' ELSE '[]'::jsonb END) AS e) AS matched_qa_ids,
			       CASE WHEN jsonb_typeof(m.metadata -> 'confidence') = 'number'
			            THEN CAST(m.metadata ->> 'confidence' AS double precision) ELSE 0 END AS confidence,
			       (SELECT u.content FROM messages u
			        WHERE u.conversation_id = c.id AND u.workspace_id = c.workspace_id AND u.role = 'user'
			          AND u.created_at <= m.created_at
			        ORDER BY u.created_at DESC LIMIT 1) AS question
			FROM conversations c
			JOIN messages m ON m.conversation_id = c.id AND m.workspace_id = c.workspace_id
			WHERE c.workspace_id = :workspaceId AND c.session_token = :token AND m.message_id = :messageId
			  AND m.role = 'assistant'
			FOR UPDATE OF m
			""";

	/** The last rating wins; the same rating and comment again writes nothing (no row returned). */
	private static final String UPSERT = """
			INSERT INTO message_feedback (workspace_id, conversation_id, message_id, rating, comment)
			VALUES (:workspaceId, :conversationId, :messageId, :rating, :comment)
			ON CONFLICT (conversation_id, message_id) DO UPDATE
			SET rating = EXCLUDED.rating, comment = EXCLUDED.comment
			WHERE (message_feedback.rating, message_feedback.comment)
			      IS DISTINCT FROM (EXCLUDED.rating, EXCLUDED.comment)
			RETURNING updated_at
			""";

	private static final String STORED = """
			SELECT rating, comment, updated_at FROM message_feedback
			WHERE workspace_id = :workspaceId AND conversation_id = :conversationId AND message_id = :messageId
			""";

	/**
	 * The visitor's phrasing of the answered pair's question, when it differs from the pair's own
	 * question after normalising both as {@code phrasing_suggestions.phrasing_key} does (trim,
	 * collapse white space, lower case); the same phrasing again for the pair keeps the one row
	 * (and its decision: a rejected phrasing is not offered again). Too long a phrasing is not
	 * offered: a rating must never fail on it.
	 */
	private static final String SUGGEST_PHRASING = """
			INSERT INTO phrasing_suggestions (workspace_id, qa_pair_id, phrasing, source_conversation_id, source_message_id)
			SELECT p.workspace_id, p.id, :phrasing, :conversationId, :messageId
			FROM qa_pairs p
			WHERE p.workspace_id = :workspaceId AND p.id = :pairId
			  AND char_length(btrim(:phrasing)) BETWEEN 1 AND 4000
			  AND lower(regexp_replace(btrim(p.question), '\\s+', ' ', 'g'))
			      <> lower(regexp_replace(btrim(:phrasing), '\\s+', ' ', 'g'))
			ON CONFLICT (workspace_id, qa_pair_id, phrasing_key) DO NOTHING
			""";

	private final JdbcClient jdbc;

	FeedbackRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** An assistant message and what it answered; {@code question} is null when no visitor message precedes it. */
	record RatedAnswer(UUID conversationId, String question, String answer, List<UUID> matchedQaIds,
			double confidence) {
	}

	record Stored(String rating, String comment, Instant ratedAt) {
	}

	Optional<RatedAnswer> ratedAnswer(UUID workspaceId, String token, UUID messageId) {
		return this.jdbc.sql(RATED_ANSWER)
			.param("workspaceId", workspaceId)
			.param("token", token)
			.param("messageId", messageId)
			.query(FeedbackRepository::ratedAnswer)
			.optional();
	}

	/** The time of the new rating, or empty when it equals the stored one. */
	Optional<Instant> upsert(UUID workspaceId, UUID conversationId, UUID messageId, String rating, String comment) {
		return this.jdbc.sql(UPSERT)
			.param("workspaceId", workspaceId)
			.param("conversationId", conversationId)
			.param("messageId", messageId)
			.param("rating", rating)
			.param("comment", comment)
			.query((rs, n) -> rs.getObject("updated_at", OffsetDateTime.class).toInstant())
			.optional();
	}

	Stored stored(UUID workspaceId, UUID conversationId, UUID messageId) {
		return this.jdbc.sql(STORED)
			.param("workspaceId", workspaceId)
			.param("conversationId", conversationId)
			.param("messageId", messageId)
			.query((rs, n) -> new Stored(rs.getString("rating"), rs.getString("comment"),
					rs.getObject("updated_at", OffsetDateTime.class).toInstant()))
			.single();
	}

	/** Offers the phrasing for the pair; whether a new suggestion was recorded. */
	boolean suggestPhrasing(UUID workspaceId, UUID pairId, String phrasing, UUID conversationId, UUID messageId) {
		return this.jdbc.sql(SUGGEST_PHRASING)
			.param("workspaceId", workspaceId)
			.param("pairId", pairId)
			.param("phrasing", phrasing)
			.param("conversationId", conversationId)
			.param("messageId", messageId)
			.update() == 1;
	}

	private static RatedAnswer ratedAnswer(ResultSet rs, int rowNum) throws SQLException {
		Array array = rs.getArray("matched_qa_ids");
		List<UUID> matched = List.of((UUID[]) array.getArray());
		return new RatedAnswer(rs.getObject("conversation_id", UUID.class), rs.getString("question"),
				rs.getString("answer"), matched, rs.getDouble("confidence"));
	}

}
