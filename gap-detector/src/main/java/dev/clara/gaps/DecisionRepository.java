package dev.clara.gaps;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.TrainedPairs;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL behind {@link GapDecisions}: what the chat turn reads to decide (the stored answer model,
 * the search's nearest pair, a group's best pair), asked for a gap's question instead of a
 * visitor's. The nearest pair is {@code search_qa_pairs} top 1 above the model's search floor,
 * as the chat turn's semantic search finds it.
 */
@Repository
class DecisionRepository {

	private static final String ANSWER_MODEL = """
			SELECT model, groups::text AS groups, pair_count, group_count FROM answer_models
			WHERE workspace_id = :workspaceId AND version = :version AND embedding_model = :model
			""";

	private static final String NEAREST = """
			SELECT s.id, s.answer, s.similarity
			FROM search_qa_pairs(:workspaceId, CAST(CAST(:vector AS real[]) AS extensions.vector), :floor, 1, :model) s
			""";

	/** As chat-api's AnswerModelRepository.bestOf: the group's active pair most similar to the question. */
	private static final String BEST_OF = """
			WITH query AS MATERIALIZED (SELECT CAST(CAST(:vector AS real[]) AS extensions.vector) AS v)
			SELECT p.id FROM qa_pairs p CROSS JOIN query q
			WHERE p.workspace_id = :workspaceId AND p.id = ANY(:ids) AND p.is_active AND p.embedding_model = :model
			  AND p.embedding IS NOT NULL
			ORDER BY p.embedding OPERATOR(extensions.<=>) q.v, p.id
			LIMIT 1
			""";

	/**
	 * The workspace's open gaps with a vector of the pair's model, each with its cosine similarity
	 * to the pair (computed as {@code search_qa_pairs} computes it) and, when asked for, its vector
	 * (for the answer model). One distance per gap, no search. A gap the owner reopened after this
	 * pair had closed it is left out, so only the owner closes it again.
	 */
	private static final String OPEN_GAPS_BY_PAIR = """
			SELECT g.id, 1 - (g.question_embedding OPERATOR(extensions.<=>) p.embedding) AS similarity,
			       CASE WHEN :withVectors THEN CAST(g.question_embedding AS text) END AS vector
			FROM qa_gaps g JOIN qa_pairs p ON p.id = :pairId
			WHERE g.workspace_id = :workspaceId AND g.status = 'open' AND g.embedding_model = :model
			  AND g.question_embedding IS NOT NULL
			  AND g.resolved_qa_id IS DISTINCT FROM :pairId
			ORDER BY g.id
			""";

	/** Of the given gaps, those whose nearest pair (the chat search's top 1) is the pair. */
	private static final String NEAREST_IS = """
			SELECT g.id
			FROM qa_gaps g
			CROSS JOIN LATERAL search_qa_pairs(g.workspace_id, g.question_embedding, :floor, 1, :model) best
			WHERE g.id = ANY(:ids) AND g.workspace_id = :workspaceId AND best.id = :pairId
			ORDER BY g.id
			""";

	/** A stored answer model with the pairs it was trained on. */
	record StoredModel(AnswerModel model, TrainedPairs pairs, int pairCount, int groupCount) {
	}

	/** The nearest pair to a question, with its answer (whose group it answers with). */
	record NearestPair(UUID id, String answer, double similarity) {
	}

	/** An open gap, its similarity to a pair and its vector (null unless asked for). */
	record GapByPair(UUID id, double similarity, float[] vector) {
	}

	private final JdbcClient jdbc;

	DecisionRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The workspace's answer model {@code version}, if it is stored and was trained on {@code model}'s vectors. */
	Optional<StoredModel> answerModel(UUID workspaceId, int version, String model) {
		return this.jdbc.sql(ANSWER_MODEL)
			.param("workspaceId", workspaceId)
			.param("version", version)
			.param("model", model)
			.query((rs, n) -> new StoredModel(AnswerModel.fromBytes(rs.getBytes("model")),
					TrainedPairs.fromJson(rs.getString("groups")), rs.getInt("pair_count"), rs.getInt("group_count")))
			.optional();
	}

	Optional<NearestPair> nearest(UUID workspaceId, float[] vector, double floor, String model) {
		return this.jdbc.sql(NEAREST)
			.param("workspaceId", workspaceId)
			.param("vector", vector)
			.param("floor", floor)
			.param("model", model)
			.query((rs, n) -> new NearestPair(rs.getObject("id", UUID.class), rs.getString("answer"),
					rs.getDouble("similarity")))
			.optional();
	}

	Optional<UUID> bestOf(UUID workspaceId, List<UUID> pairIds, float[] vector, String model) {
		if (pairIds.isEmpty()) {
			return Optional.empty();
		}
		return this.jdbc.sql(BEST_OF)
			.param("workspaceId", workspaceId)
			.param("ids", pairIds.toArray(UUID[]::new))
			.param("vector", vector)
			.param("model", model)
			.query(UUID.class)
			.optional();
	}

	List<GapByPair> openGapsByPair(UUID pairId, UUID workspaceId, String model, boolean withVectors) {
		return this.jdbc.sql(OPEN_GAPS_BY_PAIR)
			.param("pairId", pairId)
			.param("workspaceId", workspaceId)
			.param("model", model)
			.param("withVectors", withVectors)
			.query((rs, n) -> {
				String vector = rs.getString("vector");
				return new GapByPair(rs.getObject("id", UUID.class), rs.getDouble("similarity"),
						vector == null ? null : new PGvector(vector).toArray());
			})
			.list();
	}

	List<UUID> nearestIs(UUID pairId, List<UUID> gapIds, UUID workspaceId, double floor, String model) {
		if (gapIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql(NEAREST_IS)
			.param("pairId", pairId)
			.param("ids", gapIds.toArray(UUID[]::new))
			.param("workspaceId", workspaceId)
			.param("floor", floor)
			.param("model", model)
			.query(UUID.class)
			.list();
	}

}
