package dev.clara.chat.answering;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.chat.search.Match;
import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.TrainedPairs;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads stored answer models, and the best pair of an answer group the search did not return. */
@Repository
class AnswerModelRepository {

	private static final String MODEL = """
			SELECT model, groups::text AS groups, pair_count, group_count FROM answer_models
			WHERE workspace_id = :workspaceId AND version = :version AND embedding_model = :embeddingModel
			""";

	/** The group's active pair most similar to the question (its answer is the group's answer). */
	private static final String BEST_OF = """
			SELECT id, question, answer, category,
			       1 - (embedding OPERATOR(extensions.<=>) CAST(:embedding AS extensions.vector)) AS similarity
			FROM qa_pairs
			WHERE workspace_id = :workspaceId AND id = ANY(:ids) AND is_active AND embedding_model = :embeddingModel
			ORDER BY embedding OPERATOR(extensions.<=>) CAST(:embedding AS extensions.vector)
			LIMIT 1
			""";

	private final JdbcClient jdbc;

	AnswerModelRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The version, if it is still stored and was trained on {@code embeddingModel}'s vectors. */
	Optional<LoadedModel> load(UUID workspaceId, int version, String embeddingModel) {
		return this.jdbc.sql(MODEL)
			.param("workspaceId", workspaceId)
			.param("version", version)
			.param("embeddingModel", embeddingModel)
			.query((row, i) -> new LoadedModel(version, AnswerModel.fromBytes(row.getBytes("model")),
					TrainedPairs.fromJson(row.getString("groups")), row.getInt("pair_count"), row.getInt("group_count")))
			.optional();
	}

	Optional<Match> bestOf(UUID workspaceId, List<UUID> pairIds, float[] question, String embeddingModel) {
		return this.jdbc.sql(BEST_OF)
			.param("workspaceId", workspaceId)
			.param("ids", pairIds.toArray(UUID[]::new))
			.param("embedding", new PGvector(question))
			.param("embeddingModel", embeddingModel)
			.query((row, i) -> new Match(row.getObject("id", UUID.class), row.getString("question"),
					row.getString("answer"), row.getString("category"), row.getDouble("similarity")))
			.optional();
	}

}
