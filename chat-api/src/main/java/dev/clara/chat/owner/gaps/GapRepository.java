package dev.clara.chat.owner.gaps;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The workspace's gaps as the owner reviews them. Every method runs inside {@code OwnerDb.as}:
 * row-level security leaves only the owner's workspace.
 */
@Repository
class GapRepository {

	private static final String COLUMNS = """
			g.id, g.question, g.status, g.ask_count, g.last_asked_at, g.created_at, g.group_id,
			(SELECT count(*) FROM qa_gaps m WHERE m.group_id = g.group_id) AS group_size,
			g.ai_answer, g.similarity_score, g.best_match_id, g.session_id, g.resolved_qa_id, g.resolved_at,
			g.resolved_automatically, g.teach_out_of_scope, g.kind, g.feedback_comment
			""";

	private static final String FILTER = """
			WHERE (CAST(:status AS text) IS NULL OR g.status = :status)
			  AND (CAST(:groupId AS uuid) IS NULL OR g.group_id = :groupId)
			""";

	private static final String ONE = "SELECT " + COLUMNS + " FROM qa_gaps g WHERE g.id = :id";

	private static final String RESOLVE = """
			UPDATE qa_gaps SET status = 'resolved', resolved_qa_id = :pair, resolved_automatically = false
			WHERE id = :id AND status = 'open'
			""";

	private static final String RESOLVE_REST_OF_GROUP = """
			UPDATE qa_gaps SET status = 'resolved', resolved_qa_id = :pair, resolved_automatically = false
			WHERE group_id = :group AND status = 'open' AND id <> :id
			RETURNING id
			""";

	private static final String DISMISS = "UPDATE qa_gaps SET status = 'dismissed', resolved_automatically = false WHERE id = :id";

	// the flag goes in the same statement: the CHECK allows it only on dismissed gaps
	private static final String REOPEN = """
			UPDATE qa_gaps SET status = 'open', resolved_qa_id = NULL, resolved_document_id = NULL, resolved_automatically = false,
			       teach_out_of_scope = false
			WHERE id = :id
			""";

	private static final String TEACH = "UPDATE qa_gaps SET teach_out_of_scope = :teach WHERE id = :id";

	record Gap(UUID id, String question, String status, int askCount, OffsetDateTime lastAskedAt,
			OffsetDateTime createdAt, UUID groupId, long groupSize, String aiAnswer, Double similarityScore,
			UUID bestMatchId, UUID sessionId, UUID resolvedQaId, OffsetDateTime resolvedAt,
			boolean resolvedAutomatically, boolean teachOutOfScope, String kind, String feedbackComment) {
	}

	/** Listing order. */
	enum Order {

		LAST_ASKED("g.last_asked_at DESC, g.id"), ASK_COUNT("g.ask_count DESC, g.last_asked_at DESC, g.id");

		private final String sql;

		Order(String sql) {
			this.sql = sql;
		}

	}

	private static final RowMapper<Gap> ROW = (row, i) -> new Gap(row.getObject("id", UUID.class),
			row.getString("question"), row.getString("status"), row.getInt("ask_count"),
			row.getObject("last_asked_at", OffsetDateTime.class), row.getObject("created_at", OffsetDateTime.class),
			row.getObject("group_id", UUID.class), row.getLong("group_size"), row.getString("ai_answer"),
			(Double) row.getObject("similarity_score"), row.getObject("best_match_id", UUID.class),
			row.getObject("session_id", UUID.class), row.getObject("resolved_qa_id", UUID.class),
			row.getObject("resolved_at", OffsetDateTime.class), row.getBoolean("resolved_automatically"),
			row.getBoolean("teach_out_of_scope"), row.getString("kind"), row.getString("feedback_comment"));

	/** Gaps of one status (null: all) and group (null: all). */
	List<Gap> list(JdbcClient sql, String status, UUID groupId, Order order, int limit, int offset) {
		return sql.sql("SELECT " + COLUMNS + " FROM qa_gaps g " + FILTER + " ORDER BY " + order.sql
				+ " LIMIT :limit OFFSET :offset")
			.param("status", status)
			.param("groupId", groupId)
			.param("limit", limit)
			.param("offset", offset)
			.query(ROW)
			.list();
	}

	long count(JdbcClient sql, String status, UUID groupId) {
		return sql.sql("SELECT count(*) FROM qa_gaps g " + FILTER)
			.param("status", status)
			.param("groupId", groupId)
			.query(Long.class)
			.single();
	}

	Optional<Gap> find(JdbcClient sql, UUID id) {
		return sql.sql(ONE).param("id", id).query(ROW).optional();
	}

	/** The gap, locked until the transaction ends: its status is about to change. */
	Optional<Gap> lock(JdbcClient sql, UUID id) {
		return sql.sql(ONE + " FOR UPDATE OF g").param("id", id).query(ROW).optional();
	}

	void resolve(JdbcClient sql, UUID id, UUID pair) {
		sql.sql(RESOLVE).param("pair", pair).param("id", id).update();
	}

	/** Resolves the other open gaps of {@code id}'s group with the same pair; their ids. */
	List<UUID> resolveRestOfGroup(JdbcClient sql, UUID id, UUID group, UUID pair) {
		return sql.sql(RESOLVE_REST_OF_GROUP)
			.param("pair", pair)
			.param("group", group)
			.param("id", id)
			.query(UUID.class)
			.list();
	}

	void dismiss(JdbcClient sql, UUID id) {
		sql.sql(DISMISS).param("id", id).update();
	}

	/** @throws org.springframework.dao.DuplicateKeyException when another open gap has the same question */
	void reopen(JdbcClient sql, UUID id) {
		sql.sql(REOPEN).param("id", id).update();
	}

	/**
	 * Marks a dismissed gap as an out-of-scope example of the answer model, or unmarks it; a change
	 * asks for training (the table's trigger does).
	 *
	 * @throws org.springframework.dao.DataIntegrityViolationException when the gap is not dismissed
	 */
	void teach(JdbcClient sql, UUID id, boolean teach) {
		sql.sql(TEACH).param("teach", teach).param("id", id).update();
	}

}
