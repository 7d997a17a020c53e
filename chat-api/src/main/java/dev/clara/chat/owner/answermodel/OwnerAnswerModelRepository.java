package dev.clara.chat.owner.answermodel;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The workspace's answer models as the owner sees them. Every method runs inside
 * {@code OwnerDb.as}: row-level security leaves only the owner's workspace, so no statement
 * filters by workspace (but the training request, whose table owners cannot read, is asked for
 * through a function that checks the caller owns the workspace it is given).
 */
@Repository
class OwnerAnswerModelRepository {

	private static final String NEWEST = """
			SELECT version, embedding_model, pair_count, group_count, out_of_scope_count, iterations, converged,
			       training_ms, trained_at, health IS NOT NULL AS health_ready
			FROM answer_models ORDER BY version DESC LIMIT 1
			""";

	private static final String NEWEST_HEALTH = """
			SELECT version, pair_count, group_count, health::text AS health, groups::text AS groups
			FROM answer_models ORDER BY version DESC LIMIT 1
			""";

	private static final String TRAINING_REQUEST = """
			SELECT first_requested_at, last_requested_at, in_progress FROM answer_model_request_status(:workspaceId)
			""";

	// the first pair of each group (in the model's order) that is still in the knowledge base
	private static final String FIRST_EXISTING = """
			SELECT DISTINCT ON (u.group_id) u.group_id, p.id, p.question, p.answer, p.is_active
			FROM unnest(CAST(:ids AS uuid[]), CAST(:groups AS text[])) WITH ORDINALITY AS u(id, group_id, n)
			JOIN qa_pairs p ON p.id = u.id
			ORDER BY u.group_id, u.n
			""";

	private static final String PAIRS = """
			SELECT id, question, answer, is_active FROM qa_pairs WHERE id = ANY(CAST(:ids AS uuid[]))
			""";

	/** The training figures of a stored model. */
	record Model(int version, String embeddingModel, int pairCount, int groupCount, int outOfScopeCount,
			int iterations, boolean converged, int trainingMs, OffsetDateTime trainedAt, boolean healthReady) {
	}

	/** A stored model's health report and groups, as JSON text. */
	record StoredHealth(int version, int pairCount, int groupCount, String health, String groups) {
	}

	/** The workspace's request for training, waiting or being served. */
	record Request(OffsetDateTime firstRequestedAt, OffsetDateTime lastRequestedAt, boolean inProgress) {
	}

	/** A pair as an owner recognises it. */
	record Pair(UUID qaPairId, String question, String answer, boolean isActive) {
	}

	Optional<Model> newest(JdbcClient sql) {
		return sql.sql(NEWEST)
			.query((row, i) -> new Model(row.getInt("version"), row.getString("embedding_model"),
					row.getInt("pair_count"), row.getInt("group_count"), row.getInt("out_of_scope_count"),
					row.getInt("iterations"), row.getBoolean("converged"), row.getInt("training_ms"),
					row.getObject("trained_at", OffsetDateTime.class), row.getBoolean("health_ready")))
			.optional();
	}

	Optional<StoredHealth> newestHealth(JdbcClient sql) {
		return sql.sql(NEWEST_HEALTH)
			.query((row, i) -> new StoredHealth(row.getInt("version"), row.getInt("pair_count"),
					row.getInt("group_count"), row.getString("health"), row.getString("groups")))
			.optional();
	}

	Optional<Request> trainingRequest(JdbcClient sql, UUID workspaceId) {
		return sql.sql(TRAINING_REQUEST)
			.param("workspaceId", workspaceId)
			.query((row, i) -> new Request(row.getObject("first_requested_at", OffsetDateTime.class),
					row.getObject("last_requested_at", OffsetDateTime.class), row.getBoolean("in_progress")))
			.optional();
	}

	/**
	 * Per group id, its first candidate pair that still exists.
	 *
	 * @param candidates per group id, its pair ids in order
	 */
	Map<String, Pair> firstExisting(JdbcClient sql, Map<String, List<UUID>> candidates) {
		StringBuilder ids = new StringBuilder("{");
		StringBuilder groups = new StringBuilder("{");
		candidates.forEach((group, pairs) -> pairs.forEach(pair -> {
			ids.append(ids.length() > 1 ? "," : "").append(pair);
			groups.append(groups.length() > 1 ? "," : "").append(arrayElement(group));
		}));
		if (ids.length() == 1) {
			return Map.of();
		}
		return sql.sql(FIRST_EXISTING)
			.param("ids", ids.append('}').toString())
			.param("groups", groups.append('}').toString())
			.query((row, i) -> Map.entry(row.getString("group_id"), pair(row)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/** The pairs of {@code ids} that exist, by id. */
	Map<UUID, Pair> pairs(JdbcClient sql, Collection<UUID> ids) {
		if (ids.isEmpty()) {
			return Map.of();
		}
		String array = ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
		return sql.sql(PAIRS)
			.param("ids", array)
			.query((row, i) -> pair(row))
			.list()
			.stream()
			.collect(Collectors.toMap(Pair::qaPairId, pair -> pair));
	}

	private static Pair pair(java.sql.ResultSet row) throws java.sql.SQLException {
		return new Pair(row.getObject("id", UUID.class), row.getString("question"), row.getString("answer"),
				row.getBoolean("is_active"));
	}

	/** A text[] literal element: group ids are the trainer's hex, quoted all the same. */
	private static String arrayElement(String text) {
		return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
	}

}
