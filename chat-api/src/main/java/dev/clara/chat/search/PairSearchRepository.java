package dev.clara.chat.search;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The search functions of the database ({@code search_qa_pairs}, {@code search_qa_pairs_hybrid}):
 * one workspace's active pairs embedded by {@code model}, at most {@code count} above
 * {@code floor} (cosine similarity).
 * <p>
 * The question's vector goes as a {@code real[]} parameter, cast to a vector by the statement:
 * pgjdbc sends a {@code float[]} in binary (4 bytes a dimension), whereas a {@code PGvector}
 * parameter goes as text unless its type was registered on each pooled connection, so every
 * search wrote 384 floats as decimal text (the turn's top CPU frame) and the server parsed them
 * back. The floats are the same either way, so are the results.
 */
@Repository
class PairSearchRepository {

	/** Cosine search; a hit votes with its similarity. */
	private static final String SEARCH = """
			SELECT id, question, answer, category, similarity, similarity AS weight
			FROM search_qa_pairs(:workspaceId, CAST(:embedding AS real[])::extensions.vector, :floor, :count, :model)
			""";

	/** Full-text and cosine search fused by reciprocal rank; a hit votes with its fused score. */
	private static final String HYBRID_SEARCH = """
			SELECT id, question, answer, category, similarity, score AS weight
			FROM search_qa_pairs_hybrid(:workspaceId, CAST(:embedding AS real[])::extensions.vector, :question, :floor, :count, :model, :rrfK, :candidates)
			""";

	private final JdbcClient jdbc;

	PairSearchRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	List<BestMatch.Hit> semantic(UUID workspaceId, String model, float[] embedding, double floor, int count) {
		return common(this.jdbc.sql(SEARCH), workspaceId, model, embedding, floor, count).query(PairSearchRepository::hit)
			.list();
	}

	List<BestMatch.Hit> hybrid(UUID workspaceId, String model, String question, float[] embedding, double floor,
			int count, int rrfK, int candidates) {
		return common(this.jdbc.sql(HYBRID_SEARCH), workspaceId, model, embedding, floor, count)
			.param("question", (question != null) ? question : "")
			.param("rrfK", rrfK)
			.param("candidates", candidates)
			.query(PairSearchRepository::hit)
			.list();
	}

	private static JdbcClient.StatementSpec common(JdbcClient.StatementSpec statement, UUID workspaceId, String model,
			float[] embedding, double floor, int count) {
		return statement.param("workspaceId", workspaceId)
			.param("embedding", embedding)
			.param("floor", floor)
			.param("count", count)
			.param("model", model);
	}

	private static BestMatch.Hit hit(java.sql.ResultSet row, int i) throws java.sql.SQLException {
		return new BestMatch.Hit(new Match(row.getObject("id", UUID.class), row.getString("question"),
				row.getString("answer"), row.getString("category"), row.getDouble("similarity")),
				row.getDouble("weight"));
	}

}
