package dev.clara.gaps;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.clara.shared.answers.AnswerCalibrations;
import dev.clara.shared.answers.AnswerDecision.Policy;
import dev.clara.shared.events.QuestionAsked;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The gap detector's SQL; {@link Gaps} decides what to run, in which transaction. */
@Repository
class GapRepository {

	private static final String IS_PROCESSED = """
			SELECT EXISTS (SELECT 1 FROM processed_events WHERE consumer = :consumer AND event_id = :eventId)
			""";

	private static final String MARK_PROCESSED = """
			INSERT INTO processed_events (consumer, event_id) VALUES (:consumer, :eventId) ON CONFLICT DO NOTHING
			""";

	/**
	 * The workspace's decision policy for {@code model} as the chat turn reads it
	 * (chat-api's WorkspaceRepository): the threshold, the model's two calibrations, its search
	 * floor and the newest answer model trained on that embedding model; and the grouping threshold.
	 */
	private static final String THRESHOLDS = """
			SELECT public.workspace_threshold_override(w.settings) AS override, m.confidence_threshold,
			       m.id IS NOT NULL AS known_model, m.gap_grouping_threshold, m.search_floor,
			       public.answer_calibrations_of(:model)::text AS calibrations,
			       a.version AS answer_model_version, a.pair_count, a.group_count
			FROM workspaces w LEFT JOIN embedding_models m ON m.id = :model
			LEFT JOIN LATERAL (SELECT version, pair_count, group_count FROM answer_models
			                   WHERE workspace_id = w.id AND embedding_model = :model
			                   ORDER BY version DESC LIMIT 1) a ON true
			WHERE w.id = :workspaceId
			""";

	private static final String LOCK_WORKSPACE = """
			SELECT pg_advisory_xact_lock(hashtextextended('clara.qa_gaps:' || CAST(:workspaceId AS text), 0))
			""";

	private static final String OPEN_GAP = """
			SELECT id, last_asked_at,
			       (question_embedding IS NOT NULL AND embedding_model = :model) AS has_vector
			FROM qa_gaps
			WHERE workspace_id = :workspaceId AND status = 'open'
			  AND public.normalize_question(question) = public.normalize_question(:question)
			""";

	/*
	 * The query vector is cast once in a CTE: written inline, a generic plan of the prepared
	 * statement would convert it again for every row it is compared with. Every vector parameter
	 * of this service goes as a float[] (pgjdbc sends it in binary) cast to real[] then to a
	 * vector: the same floats as pgvector's text form, without writing and parsing 384 decimals.
	 */
	private static final String OPEN_WITH_VECTOR = """
			WHERE g.workspace_id = :workspaceId AND g.status = 'open' AND g.embedding_model = :model
			  AND g.question_embedding IS NOT NULL
			""";

	private static final String QUERY_VECTOR = """
			WITH query AS MATERIALIZED (SELECT CAST(CAST(:vector AS real[]) AS extensions.vector) AS v)
			""";

	private static final String NEAREST_GROUP = QUERY_VECTOR + """
			SELECT coalesce(g.group_id, g.id) AS group_id,
			       1 - (g.question_embedding OPERATOR(extensions.<=>) q.v) AS similarity
			FROM qa_gaps g CROSS JOIN query q
			""" + OPEN_WITH_VECTOR + """
			ORDER BY similarity DESC, group_id
			LIMIT 1
			""";

	private static final String CENTROID_GROUP = QUERY_VECTOR + """
			SELECT c.group_id, 1 - (c.centroid OPERATOR(extensions.<=>) q.v) AS similarity
			FROM (SELECT coalesce(g.group_id, g.id) AS group_id, extensions.avg(g.question_embedding) AS centroid
			      FROM qa_gaps g
			""" + OPEN_WITH_VECTOR + """
			      GROUP BY 1) c CROSS JOIN query q
			ORDER BY similarity DESC, group_id
			LIMIT 1
			""";

	private static final String AVERAGE_GROUP = QUERY_VECTOR + """
			SELECT coalesce(g.group_id, g.id) AS group_id,
			       avg(1 - (g.question_embedding OPERATOR(extensions.<=>) q.v)) AS similarity
			FROM qa_gaps g CROSS JOIN query q
			""" + OPEN_WITH_VECTOR + """
			GROUP BY 1
			ORDER BY similarity DESC, group_id
			LIMIT 1
			""";

	/**
	 * The dedup rule of V6: an open gap of the same normalised question is asked again instead. A
	 * gap recorded without a vector (the provider failed) gets one from a later ask. A gap keeps the
	 * kind it was opened with: an answer rated down whose question is already an open gap is one
	 * more ask of it, and the newest comment is kept on the gap. {@code created_at} is the insert's
	 * time, not the transaction's: the gaps one batch opens keep the order they were opened in.
	 */
	private static final String UPSERT = """
			INSERT INTO qa_gaps (id, workspace_id, question, ai_answer, best_match_id, similarity_score, session_id,
			                     last_asked_at, group_id, question_embedding, embedding_model, kind, feedback_comment,
			                     created_at)
			VALUES (:id, :workspaceId, :question, :answer,
			        (SELECT p.id FROM qa_pairs p WHERE p.id = :bestMatchId AND p.workspace_id = :workspaceId),
			        :similarity,
			        (SELECT c.id FROM conversations c WHERE c.id = :conversationId AND c.workspace_id = :workspaceId),
			        :askedAt, :groupId, CAST(CAST(:vector AS real[]) AS extensions.vector), :model, :kind, :comment, clock_timestamp())
			ON CONFLICT (workspace_id, public.normalize_question(question)) WHERE status = 'open'
			DO UPDATE SET ask_count = qa_gaps.ask_count + 1,
			              feedback_comment = coalesce(EXCLUDED.feedback_comment, qa_gaps.feedback_comment),
			              last_asked_at = greatest(qa_gaps.last_asked_at, EXCLUDED.last_asked_at),
			              question_embedding = coalesce(qa_gaps.question_embedding, EXCLUDED.question_embedding),
			              embedding_model = CASE WHEN qa_gaps.question_embedding IS NULL
			                                     THEN EXCLUDED.embedding_model ELSE qa_gaps.embedding_model END
			RETURNING (xmax = 0) AS inserted, id, coalesce(group_id, id) AS group_id, last_asked_at
			""";

	private static final String RESOLVE = """
			UPDATE qa_gaps SET status = 'resolved', resolved_qa_id = :pairId, resolved_automatically = true
			WHERE id = :id AND status = 'open'
			""";

	private static final String PAIR = """
			SELECT workspace_id, embedding_model, answer,
			       (is_active AND embedding IS NOT NULL AND embedded_at >= updated_at) AS usable
			FROM qa_pairs WHERE id = :pairId
			""";

	private static final String OPEN_WITHOUT_VECTOR = """
			SELECT id, question FROM qa_gaps
			WHERE workspace_id = :workspaceId AND status = 'open'
			  AND (question_embedding IS NULL OR embedding_model IS DISTINCT FROM :model)
			ORDER BY id
			""";

	/** Made outside the transaction: written only if the gap is still open with the text embedded. */
	private static final String SET_VECTOR = """
			UPDATE qa_gaps SET question_embedding = CAST(CAST(:vector AS real[]) AS extensions.vector), embedding_model = :model
			WHERE id = :id AND question = :question AND status = 'open'
			""";

	/**
	 * Tokens a remote provider billed for the workspace's questions; skipped for a workspace deleted
	 * since. The provider is OpenAI, the only one that bills.
	 */
	private static final String RECORD_USAGE = """
			INSERT INTO api_usage (workspace_id, provider, model, prompt_tokens, completion_tokens, total_tokens, purpose)
			SELECT w.id, 'openai', :model, :tokens, 0, :tokens, 'embedding' FROM workspaces w WHERE w.id = :workspaceId
			""";

	private final JdbcClient jdbc;

	GapRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * What a workspace's gaps are judged by, for one embedding model.
	 * @param grouping the model's grouping threshold (before the operator's override)
	 * @param searchFloor the chat search's floor for the model: a pair at or below it is no match
	 * @param policy the chat turn's decision policy (threshold and calibrations)
	 * @param answerModelVersion the newest answer model of the workspace trained on this model, null for none
	 */
	record Thresholds(double grouping, double searchFloor, Policy policy, Integer answerModelVersion) {
	}

	record OpenGap(UUID id, Instant lastAskedAt, boolean hasVector) {
	}

	record GroupMatch(UUID groupId, double similarity) {
	}

	/** A Q&A pair as it is now; usable when active with a vector of its current text. */
	record Pair(UUID workspaceId, String model, String answer, boolean usable) {
	}

	/** An open gap whose vector is missing or of another model. */
	record Unembedded(UUID id, String question) {
	}

	/**
	 * What a gap is recorded from: a question Clara could not answer ({@code QuestionAsked}), or
	 * one whose answer the visitor rated down ({@code AnswerRated}, kind {@code feedback}).
	 * @param comment the visitor's comment on the answer, null for none
	 */
	record Asked(String question, String answer, UUID bestMatchId, double similarity, UUID conversationId,
			Instant askedAt, String kind, String comment) {

		static final String UNANSWERED = "unanswered";

		static final String FEEDBACK = "feedback";

		static Asked of(QuestionAsked asked) {
			return new Asked(asked.question(), asked.answer(), asked.bestMatchId(), asked.similarity(),
					asked.conversationId(), asked.askedAt(), UNANSWERED, null);
		}

	}

	/** A {@code qa_gaps} row as the upsert leaves it. */
	record GapRow(boolean inserted, UUID id, UUID groupId, Instant lastAskedAt) {
	}

	boolean isProcessed(String consumer, UUID eventId) {
		return this.jdbc.sql(IS_PROCESSED)
			.param("consumer", consumer)
			.param("eventId", eventId)
			.query(Boolean.class)
			.single();
	}

	/** Records the event as applied; false when it was already. */
	boolean markProcessed(String consumer, UUID eventId) {
		return this.jdbc.sql(MARK_PROCESSED).param("consumer", consumer).param("eventId", eventId).update() == 1;
	}

	/** Until the transaction ends, other writers of this workspace's gaps wait. */
	void lockWorkspace(UUID workspaceId) {
		this.jdbc.sql(LOCK_WORKSPACE).param("workspaceId", workspaceId).query((rs, n) -> null).list();
	}

	/** Empty when the workspace does not exist. */
	Optional<Thresholds> thresholds(UUID workspaceId, String model) {
		return this.jdbc.sql(THRESHOLDS).param("workspaceId", workspaceId).param("model", model).query((rs, n) -> {
			if (!rs.getBoolean("known_model")) {
				throw new IllegalStateException("embedding model " + model + " is not in embedding_models");
			}
			Integer version = rs.getObject("answer_model_version", Integer.class);
			// sized as the chat turn sizes it: the newest model's phrasings per group, 1 without a model
			double phrasingsPerGroup = version == null ? 1 : (double) rs.getInt("pair_count") / rs.getInt("group_count");
			Policy policy = AnswerCalibrations.fromJson(rs.getString("calibrations"))
				.policy(rs.getObject("override", Double.class), rs.getDouble("confidence_threshold"), phrasingsPerGroup);
			return new Thresholds(rs.getDouble("gap_grouping_threshold"), rs.getDouble("search_floor"), policy, version);
		}).optional();
	}

	Optional<OpenGap> openGap(UUID workspaceId, String question, String model) {
		return this.jdbc.sql(OPEN_GAP)
			.param("workspaceId", workspaceId)
			.param("question", question)
			.param("model", model)
			.query((rs, n) -> new OpenGap(rs.getObject("id", UUID.class),
					rs.getObject("last_asked_at", OffsetDateTime.class).toInstant(), rs.getBoolean("has_vector")))
			.optional();
	}

	Optional<GroupMatch> closestGroup(UUID workspaceId, String model, float[] vector, Linkage linkage) {
		String sql = switch (linkage) {
			case NEAREST -> NEAREST_GROUP;
			case CENTROID -> CENTROID_GROUP;
			case AVERAGE -> AVERAGE_GROUP;
		};
		return this.jdbc.sql(sql)
			.param("workspaceId", workspaceId)
			.param("model", model)
			.param("vector", vector)
			.query((rs, n) -> new GroupMatch(rs.getObject("group_id", UUID.class), rs.getDouble("similarity")))
			.optional();
	}

	/** A new gap {@code id} of the question, or one more ask of its open gap; null vector for none. */
	GapRow upsert(UUID id, UUID workspaceId, Asked asked, UUID groupId, float[] vector, String model) {
		return this.jdbc.sql(UPSERT)
			.param("id", id)
			.param("workspaceId", workspaceId)
			.param("question", asked.question())
			.param("answer", asked.answer())
			.param("bestMatchId", asked.bestMatchId())
			.param("similarity", asked.similarity())
			.param("conversationId", asked.conversationId())
			.param("askedAt", asked.askedAt().atOffset(ZoneOffset.UTC))
			.param("groupId", groupId)
			.param("vector", vector)
			.param("model", vector == null ? null : model)
			.param("kind", asked.kind())
			.param("comment", asked.comment())
			.query((rs, n) -> new GapRow(rs.getBoolean("inserted"), rs.getObject("id", UUID.class),
					rs.getObject("group_id", UUID.class), rs.getObject("last_asked_at", OffsetDateTime.class).toInstant()))
			.single();
	}

	/** Resolves the gap with the pair, automatically; false when it was not open. */
	boolean resolve(UUID gapId, UUID pairId) {
		return this.jdbc.sql(RESOLVE).param("pairId", pairId).param("id", gapId).update() == 1;
	}

	Optional<Pair> pair(UUID pairId) {
		return this.jdbc.sql(PAIR)
			.param("pairId", pairId)
			.query((rs, n) -> new Pair(rs.getObject("workspace_id", UUID.class), rs.getString("embedding_model"),
					rs.getString("answer"), rs.getBoolean("usable")))
			.optional();
	}

	List<Unembedded> openWithoutVector(UUID workspaceId, String model) {
		return this.jdbc.sql(OPEN_WITHOUT_VECTOR)
			.param("workspaceId", workspaceId)
			.param("model", model)
			.query((rs, n) -> new Unembedded(rs.getObject("id", UUID.class), rs.getString("question")))
			.list();
	}

	/** In the caller's transaction; nothing when nothing was billed (an in-process model). */
	void recordEmbeddingUsage(UUID workspaceId, String model, long tokens) {
		if (tokens <= 0) {
			return;
		}
		this.jdbc.sql(RECORD_USAGE).param("workspaceId", workspaceId).param("model", model).param("tokens", tokens).update();
	}

	/** Stores the vector made of {@code question}, unless the gap was closed or changed since. */
	void setVector(UUID gapId, String question, String model, float[] vector) {
		this.jdbc.sql(SET_VECTOR)
			.param("vector", vector)
			.param("model", model)
			.param("id", gapId)
			.param("question", question)
			.update();
	}

}
