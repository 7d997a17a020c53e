package dev.clara.chat.owner.pairs;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.pgvector.PGvector;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The knowledge base as the owner edits it. Every method runs inside {@code OwnerDb.as}: row-level
 * security leaves only the owner's workspace, so no statement filters by workspace.
 */
@Repository
class QaPairRepository {

	private static final String COLUMNS = """
			id, question, answer, category, source, is_active, embedding_model IS NOT NULL AS embedded,
			embedding_model, embedded_at IS NOT NULL AND embedded_at >= updated_at AS embedding_current, created_at, updated_at
			""";

	private static final String FILTER = """
			WHERE (CAST(:category AS text) IS NULL OR category = :category)
			  AND (CAST(:active AS boolean) IS NULL OR is_active = :active)
			  AND (CAST(:text AS text) IS NULL OR question ILIKE :text ESCAPE '\\' OR answer ILIKE :text ESCAPE '\\')
			""";

	private static final String LIST = "SELECT " + COLUMNS + " FROM qa_pairs " + FILTER
			+ " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset";

	private static final String COUNT = "SELECT count(*) FROM qa_pairs " + FILTER;

	private static final String ONE = "SELECT " + COLUMNS + " FROM qa_pairs WHERE id = :id";

	private static final String UPDATE = """
			UPDATE qa_pairs SET question = COALESCE(:question, question), answer = COALESCE(:answer, answer),
			       category = COALESCE(:category, category), is_active = COALESCE(CAST(:active AS boolean), is_active)
			WHERE id = :id
			""";

	private static final String SET_ACTIVE = "UPDATE qa_pairs SET is_active = :active WHERE id = :id";

	private static final String SEARCH_MODEL = """
			SELECT COALESCE(w.search_model, :deploymentModel) FROM workspaces w
			""";

	private static final String NEAREST = """
			SELECT s.id, s.question, s.similarity
			FROM embedding_models m,
			     LATERAL search_qa_pairs(:workspaceId, :embedding, m.near_duplicate_threshold, 4, m.id) s
			WHERE m.id = :model
			""";

	record QaPair(UUID id, String question, String answer, String category, String source, boolean isActive,
			boolean embedded, String embeddingModel, boolean embeddingCurrent, OffsetDateTime createdAt,
			OffsetDateTime updatedAt) {
	}

	/**
	 * @param category only this category, or null
	 * @param active only active (true) or deleted (false) pairs, or null for both
	 * @param textPattern an ILIKE pattern (escaped with {@code \}) the question or answer matches, or null
	 */
	record Filter(String category, Boolean active, String textPattern) {
	}

	/** A pair whose question is close to another question. */
	record Similar(UUID id, String question, double similarity) {
	}

	private static final RowMapper<QaPair> ROW = (row, i) -> new QaPair(row.getObject("id", UUID.class),
			row.getString("question"), row.getString("answer"), row.getString("category"), row.getString("source"),
			row.getBoolean("is_active"), row.getBoolean("embedded"), row.getString("embedding_model"),
			row.getBoolean("embedding_current"), row.getObject("created_at", OffsetDateTime.class),
			row.getObject("updated_at", OffsetDateTime.class));

	/** Newest first. */
	List<QaPair> list(JdbcClient sql, Filter filter, int limit, int offset) {
		return sql.sql(LIST)
			.param("category", filter.category())
			.param("active", filter.active())
			.param("text", filter.textPattern())
			.param("limit", limit)
			.param("offset", offset)
			.query(ROW)
			.list();
	}

	long count(JdbcClient sql, Filter filter) {
		return sql.sql(COUNT)
			.param("category", filter.category())
			.param("active", filter.active())
			.param("text", filter.textPattern())
			.query(Long.class)
			.single();
	}

	Optional<QaPair> find(JdbcClient sql, UUID id) {
		return sql.sql(ONE).param("id", id).query(ROW).optional();
	}

	/** Changes the fields that are not null; whether the pair exists. */
	boolean update(JdbcClient sql, UUID id, String question, String answer, String category, Boolean active) {
		return sql.sql(UPDATE)
			.param("id", id)
			.param("question", question)
			.param("answer", answer)
			.param("category", category)
			.param("active", active)
			.update() > 0;
	}

	/** Whether the pair exists. */
	boolean setActive(JdbcClient sql, UUID id, boolean active) {
		return sql.sql(SET_ACTIVE).param("active", active).param("id", id).update() > 0;
	}

	/** The model the workspace's search uses: its own choice, else {@code deploymentModel}. */
	String searchModel(JdbcClient sql, String deploymentModel) {
		return sql.sql(SEARCH_MODEL).param("deploymentModel", deploymentModel).query(String.class).single();
	}

	/**
	 * Up to four pairs more similar to {@code vector} than the model's near-duplicate threshold,
	 * most similar first.
	 *
	 * @param vector a pgvector literal of {@code model}'s vector
	 */
	List<Similar> nearest(JdbcClient sql, UUID workspaceId, float[] vector, String model) {
		return sql.sql(NEAREST)
			.param("workspaceId", workspaceId)
			.param("embedding", new PGvector(vector))
			.param("model", model)
			.query((row, i) -> new Similar(row.getObject("id", UUID.class), row.getString("question"),
					row.getDouble("similarity")))
			.list();
	}

}
