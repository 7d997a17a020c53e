package dev.clara.chat.owner.answertests;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The owner's test questions of the answer model and how each model version did on them. Every
 * method runs inside {@code OwnerDb.as}: row-level security leaves only the owner's workspace, so
 * no statement filters by workspace.
 */
@Repository
class AnswerTestRepository {

	private static final String COLUMNS = """
			t.id, t.question, t.expected_qa_id, e.question AS expected_question, t.created_at
			""";

	private static final String LIST = "SELECT " + COLUMNS + """
			FROM answer_test_questions t LEFT JOIN qa_pairs e ON e.id = t.expected_qa_id
			ORDER BY t.created_at, t.id LIMIT :limit OFFSET :offset
			""";

	private static final String ONE = "SELECT " + COLUMNS + """
			FROM answer_test_questions t LEFT JOIN qa_pairs e ON e.id = t.expected_qa_id WHERE t.id = :id
			""";

	private static final String COUNT = "SELECT count(*) FROM answer_test_questions";

	// NO KEY UPDATE: serialises adding test questions (the limit is counted under it) without
	// blocking the inserts elsewhere whose foreign keys only share-lock the workspace's key
	private static final String LOCK_WORKSPACE = "SELECT id FROM workspaces FOR NO KEY UPDATE";

	private static final String PAIR_ACTIVE = "SELECT is_active FROM qa_pairs WHERE id = :id";

	private static final String INSERT = """
			INSERT INTO answer_test_questions (workspace_id, question, expected_qa_id)
			VALUES (:workspaceId, :question, :expectedQaId) RETURNING id
			""";

	private static final String DELETE = "DELETE FROM answer_test_questions WHERE id = :id";

	private static final String NEWEST_VERSION = "SELECT version FROM answer_models ORDER BY version DESC LIMIT 1";

	private static final String VERSION_EXISTS = "SELECT EXISTS (SELECT 1 FROM answer_models WHERE version = :version)";

	private static final String PREVIOUS_VERSION = """
			SELECT version FROM answer_models WHERE version < :version ORDER BY version DESC LIMIT 1
			""";

	// a version without a row for a question has not been checked against it: the outcome is null
	private static final String RESULTS = "SELECT " + COLUMNS + """
			     , r.outcome, r.answered_qa_id, a.question AS answered_question, r.confidence,
			       pr.outcome AS previous_outcome
			FROM answer_test_questions t
			LEFT JOIN qa_pairs e ON e.id = t.expected_qa_id
			LEFT JOIN answer_test_results r ON r.test_question_id = t.id AND r.model_version = CAST(:version AS integer)
			LEFT JOIN qa_pairs a ON a.id = r.answered_qa_id
			LEFT JOIN answer_test_results pr
			       ON pr.test_question_id = t.id AND pr.model_version = CAST(:previous AS integer)
			ORDER BY t.created_at, t.id
			""";

	/**
	 * @param expectedQaId the pair whose answer the question should get; null: it should not be answered
	 * @param expectedQuestion that pair's question, to show
	 */
	record TestQuestion(UUID id, String question, UUID expectedQaId, String expectedQuestion, OffsetDateTime createdAt) {
	}

	/**
	 * @param outcome null when the version has not been checked against the question
	 * @param previousOutcome the outcome of the version before, null when none
	 */
	record Row(TestQuestion test, String outcome, UUID answeredQaId, String answeredQuestion, Double confidence,
			String previousOutcome) {
	}

	private static final RowMapper<TestQuestion> TEST = (row, i) -> new TestQuestion(row.getObject("id", UUID.class),
			row.getString("question"), row.getObject("expected_qa_id", UUID.class), row.getString("expected_question"),
			row.getObject("created_at", OffsetDateTime.class));

	/** In the order they were added. */
	List<TestQuestion> list(JdbcClient sql, int limit, int offset) {
		return sql.sql(LIST).param("limit", limit).param("offset", offset).query(TEST).list();
	}

	long count(JdbcClient sql) {
		return sql.sql(COUNT).query(Long.class).single();
	}

	Optional<TestQuestion> find(JdbcClient sql, UUID id) {
		return sql.sql(ONE).param("id", id).query(TEST).optional();
	}

	/** The owner's workspace, locked against other additions until the transaction ends. */
	Optional<UUID> lockWorkspace(JdbcClient sql) {
		return sql.sql(LOCK_WORKSPACE).query(UUID.class).optional();
	}

	/** Whether the pair is active; empty when the workspace has no such pair. */
	Optional<Boolean> pairActive(JdbcClient sql, UUID id) {
		return sql.sql(PAIR_ACTIVE).param("id", id).query(Boolean.class).optional();
	}

	/** @throws org.springframework.dao.DataIntegrityViolationException when the expected pair is gone */
	UUID insert(JdbcClient sql, UUID workspaceId, String question, UUID expectedQaId) {
		return sql.sql(INSERT)
			.param("workspaceId", workspaceId)
			.param("question", question)
			.param("expectedQaId", expectedQaId)
			.query(UUID.class)
			.single();
	}

	/** Whether there was such a test question. */
	boolean delete(JdbcClient sql, UUID id) {
		return sql.sql(DELETE).param("id", id).update() > 0;
	}

	Optional<Integer> newestVersion(JdbcClient sql) {
		return sql.sql(NEWEST_VERSION).query(Integer.class).optional();
	}

	boolean versionExists(JdbcClient sql, int version) {
		return sql.sql(VERSION_EXISTS).param("version", version).query(Boolean.class).single();
	}

	Optional<Integer> previousVersion(JdbcClient sql, int version) {
		return sql.sql(PREVIOUS_VERSION).param("version", version).query(Integer.class).optional();
	}

	/** Every test question with its outcome for {@code version} and for {@code previous} (either may be null). */
	List<Row> results(JdbcClient sql, Integer version, Integer previous) {
		return sql.sql(RESULTS).param("version", version).param("previous", previous).query((row, i) -> new Row(
				TEST.mapRow(row, i), row.getString("outcome"), row.getObject("answered_qa_id", UUID.class),
				row.getString("answered_question"), (Double) row.getObject("confidence"), row.getString("previous_outcome")))
			.list();
	}

}
