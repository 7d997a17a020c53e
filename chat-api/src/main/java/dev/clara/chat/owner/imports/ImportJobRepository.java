package dev.clara.chat.owner.imports;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.clara.chat.owner.OwnerProperties;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Import jobs, their per-row reports, and the knowledge base lookups an import batch needs. Every
 * method runs inside {@code OwnerDb.as}: row-level security leaves only the owner's workspace.
 */
@Repository
class ImportJobRepository {

	private static final String INSERT_JOB = """
			INSERT INTO qa_import_jobs (workspace_id, created_by, file_name, file_sha256, file_bytes)
			VALUES (:workspaceId, :createdBy, :fileName, :sha256, :bytes)
			RETURNING id
			""";

	private static final String JOB_COLUMNS = """
			id, file_name, file_sha256, file_bytes, total_rows, processed_rows, imported_rows, duplicate_rows, invalid_rows,
			error, created_at, started_at, finished_at, updated_at,
			CASE WHEN status IN ('queued', 'running') AND updated_at < now() - CAST(:staleAfter AS interval)
			     THEN 'interrupted' ELSE status END AS status
			""";

	private static final String JOB = "SELECT " + JOB_COLUMNS + " FROM qa_import_jobs WHERE id = :id";

	private static final String JOBS = "SELECT " + JOB_COLUMNS
			+ " FROM qa_import_jobs ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset";

	private static final String COUNT_JOBS = "SELECT count(*) FROM qa_import_jobs";

	private static final String START = """
			UPDATE qa_import_jobs SET status = 'running', total_rows = :total, started_at = now() WHERE id = :id
			""";

	private static final String COMPLETE = "UPDATE qa_import_jobs SET status = 'completed', finished_at = now() WHERE id = :id";

	private static final String FAIL = """
			UPDATE qa_import_jobs SET status = 'failed', error = :error, finished_at = now() WHERE id = :id
			""";

	private static final String REPORT_ROWS = """
			SELECT row_number, line_number, outcome, reason, question, qa_pair_id FROM qa_import_rows
			WHERE job_id = :job AND (CAST(:outcome AS text) IS NULL OR outcome = :outcome)
			ORDER BY row_number LIMIT :limit OFFSET :offset
			""";

	private static final String COUNT_REPORT_ROWS = """
			SELECT count(*) FROM qa_import_rows WHERE job_id = :job AND (CAST(:outcome AS text) IS NULL OR outcome = :outcome)
			""";

	private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('clara.qa_import:' || CAST(:workspaceId AS text), 0))";

	/**
	 * For each question of the batch: a pair of the workspace with the same normalised question.
	 * A hash join (each pair normalised once per batch): under row-level security a per-row lookup
	 * could not use an expression index (the policy's qual must run first, normalize_question is not
	 * leakproof), and no workspace filter is needed.
	 */
	private static final String EXISTING = """
			WITH batch AS (
			  SELECT t.n, public.normalize_question(t.q) AS key FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS t(n int, q text)
			), existing AS (
			  SELECT DISTINCT ON (k.key) k.key, qp.id, qp.metadata
			  FROM qa_pairs qp JOIN (SELECT DISTINCT key FROM batch) k ON public.normalize_question(qp.question) = k.key
			  ORDER BY k.key, qp.created_at, qp.id
			)
			SELECT b.n, e.id, e.metadata ->> 'import_job_id' AS job, e.metadata ->> 'import_row' AS row_number
			FROM batch b JOIN existing e ON e.key = b.key
			""";

	private static final String KEYS = """
			SELECT t.n, public.normalize_question(t.q) AS key
			FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS t(n int, q text)
			ORDER BY t.n
			""";

	private static final String INSERT_REPORT = """
			INSERT INTO qa_import_rows (job_id, workspace_id, row_number, line_number, outcome, reason, question, qa_pair_id)
			SELECT :jobId, :workspaceId, t.n, t.l, t.o, t.r, t.q, t.p
			FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS t(n int, l int, o text, r text, q text, p uuid)
			ON CONFLICT (job_id, row_number) DO NOTHING
			""";

	private static final String PROGRESS = """
			UPDATE qa_import_jobs
			SET processed_rows = processed_rows + :processed, imported_rows = imported_rows + :imported,
			    duplicate_rows = duplicate_rows + :duplicates, invalid_rows = invalid_rows + :invalid
			WHERE id = :jobId
			""";

	private final String staleAfter;

	ImportJobRepository(OwnerProperties properties) {
		this.staleAfter = properties.csv().staleAfter().toSeconds() + " seconds";
	}

	record Job(UUID id, String status, String fileName, String fileSha256, long fileBytes, Integer totalRows,
			int processedRows, int importedRows, int duplicateRows, int invalidRows, String error,
			OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt, OffsetDateTime updatedAt) {
	}

	record RowReport(int rowNumber, int lineNumber, String outcome, String reason, String question, UUID qaPairId) {
	}

	/** A question of the file already in the knowledge base: from which import job and row, if one. */
	record Existing(int rowNumber, String importJobId, String importRow) {
	}

	/** A question of the batch, normalised the way the knowledge base compares questions. */
	record Key(int rowNumber, String key) {
	}

	/** Counts of one batch's outcomes. */
	record Progress(int processed, int imported, int duplicates, int invalid) {
	}

	private static final RowMapper<Job> JOB_ROW = (row, i) -> new Job(row.getObject("id", UUID.class),
			row.getString("status"), row.getString("file_name"), row.getString("file_sha256"),
			row.getLong("file_bytes"), (Integer) row.getObject("total_rows"), row.getInt("processed_rows"),
			row.getInt("imported_rows"), row.getInt("duplicate_rows"), row.getInt("invalid_rows"),
			row.getString("error"), row.getObject("created_at", OffsetDateTime.class),
			row.getObject("started_at", OffsetDateTime.class), row.getObject("finished_at", OffsetDateTime.class),
			row.getObject("updated_at", OffsetDateTime.class));

	UUID insertJob(JdbcClient sql, UUID workspaceId, UUID createdBy, String fileName, String sha256, long bytes) {
		return sql.sql(INSERT_JOB)
			.param("workspaceId", workspaceId)
			.param("createdBy", createdBy)
			.param("fileName", fileName)
			.param("sha256", sha256)
			.param("bytes", bytes)
			.query(UUID.class)
			.single();
	}

	Optional<Job> find(JdbcClient sql, UUID id) {
		return sql.sql(JOB).param("id", id).param("staleAfter", this.staleAfter).query(JOB_ROW).optional();
	}

	/** Newest first. */
	List<Job> list(JdbcClient sql, int limit, int offset) {
		return sql.sql(JOBS)
			.param("staleAfter", this.staleAfter)
			.param("limit", limit)
			.param("offset", offset)
			.query(JOB_ROW)
			.list();
	}

	long count(JdbcClient sql) {
		return sql.sql(COUNT_JOBS).query(Long.class).single();
	}

	void start(JdbcClient sql, UUID jobId, int totalRows) {
		sql.sql(START).param("total", totalRows).param("id", jobId).update();
	}

	void complete(JdbcClient sql, UUID jobId) {
		sql.sql(COMPLETE).param("id", jobId).update();
	}

	void fail(JdbcClient sql, UUID jobId, String reason) {
		sql.sql(FAIL).param("error", reason).param("id", jobId).update();
	}

	/** The job's report, rows of one outcome (null: all). */
	List<RowReport> reportRows(JdbcClient sql, UUID jobId, String outcome, int limit, int offset) {
		return sql.sql(REPORT_ROWS)
			.param("job", jobId)
			.param("outcome", outcome)
			.param("limit", limit)
			.param("offset", offset)
			.query((row, i) -> new RowReport(row.getInt("row_number"), row.getInt("line_number"),
					row.getString("outcome"), row.getString("reason"), row.getString("question"),
					row.getObject("qa_pair_id", UUID.class)))
			.list();
	}

	long countReportRows(JdbcClient sql, UUID jobId, String outcome) {
		return sql.sql(COUNT_REPORT_ROWS).param("job", jobId).param("outcome", outcome).query(Long.class).single();
	}

	/** Waits for, then holds until the transaction ends, the workspace's import lock. */
	void lockImports(JdbcClient sql, UUID workspaceId) {
		sql.sql(LOCK).param("workspaceId", workspaceId).query().singleRow();
	}

	/** @param questions JSON array of {@code {n: row number, q: question}} */
	List<Existing> existing(JdbcClient sql, String questions) {
		return sql.sql(EXISTING)
			.param("rows", questions)
			.query((row, i) -> new Existing(row.getInt("n"), row.getString("job"), row.getString("row_number")))
			.list();
	}

	/** @param questions JSON array of {@code {n: row number, q: question}}; in row order */
	List<Key> keys(JdbcClient sql, String questions) {
		return sql.sql(KEYS)
			.param("rows", questions)
			.query((row, i) -> new Key(row.getInt("n"), row.getString("key")))
			.list();
	}

	/** @param rows JSON array of {@code {n, l: line, o: outcome, r: reason, q: question, p: pair id}} */
	void insertReport(JdbcClient sql, UUID jobId, UUID workspaceId, String rows) {
		sql.sql(INSERT_REPORT).param("jobId", jobId).param("workspaceId", workspaceId).param("rows", rows).update();
	}

	void addProgress(JdbcClient sql, UUID jobId, Progress progress) {
		sql.sql(PROGRESS)
			.param("processed", progress.processed())
			.param("imported", progress.imported())
			.param("duplicates", progress.duplicates())
			.param("invalid", progress.invalid())
			.param("jobId", jobId)
			.update();
	}

}
