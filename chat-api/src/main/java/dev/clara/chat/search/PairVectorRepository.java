package dev.clara.chat.search;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads a workspace's searchable pairs (what {@code search_qa_pairs} searches: active, embedded by
 * the model) with the snapshot the statement saw, which later tells whether the copy is still
 * what the database holds ({@code qa_pair_search_changes}). The vectors come in pgvector's binary
 * form, 4 bytes a dimension.
 */
@Repository
class PairVectorRepository {

	// the snapshot row comes even for a workspace without a searchable pair
	private static final String LOAD = """
			WITH statement AS (SELECT pg_current_snapshot()::text AS snapshot)
			SELECT s.snapshot, qp.id, qp.question, qp.answer, qp.category,
			       extensions.vector_send(qp.embedding) AS vector
			FROM statement s
			LEFT JOIN LATERAL (SELECT p.id, p.question, p.answer, p.category, p.embedding FROM qa_pairs p
			                   WHERE p.workspace_id = :workspaceId AND p.is_active
			                     AND p.embedding_model = :model AND p.embedding IS NOT NULL
			                   LIMIT :limit) qp ON true
			""";

	private final JdbcClient jdbc;

	PairVectorRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The workspace's searchable pairs for {@code model}, at most {@code limit} of them (a copy
	 * with {@code limit} pairs may be missing some: the caller asks for one more than it keeps).
	 */
	PairVectors.Builder load(UUID workspaceId, String model, int limit) {
		PairVectors.Builder[] copy = new PairVectors.Builder[1];
		this.jdbc.sql(LOAD)
			.param("workspaceId", workspaceId)
			.param("model", model)
			.param("limit", limit)
			.query(row -> {
				if (copy[0] == null) {
					copy[0] = new PairVectors.Builder(model, row.getString("snapshot"));
				}
				UUID id = row.getObject("id", UUID.class);
				if (id != null) {
					copy[0].add(new PairVectors.Pair(id, row.getString("question"), row.getString("answer"),
							row.getString("category")), row.getBytes("vector"));
				}
			});
		return copy[0];
	}

}
