package dev.clara.chat.owner.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.web.ApiProblem;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CSV imports of Q&A pairs. The upload is streamed to a temporary file (bounded by
 * {@code clara.owner.csv.max-bytes}, hashed on the way) and answered with 202 and a job; a worker
 * then reads the file twice, streaming: once to count the records (the job's total), once to
 * import them in batches. Each batch is ONE owner transaction under row-level security: its pairs,
 * its per-row report and the job's progress commit together, so a crash loses at most the batch
 * in flight. A row whose question (normalised: case, spacing) is already in the workspace's
 * knowledge base, or earlier in the file, is reported as a duplicate: uploading the same file
 * again imports nothing twice. Imports of one workspace are serialised by an advisory lock.
 */
@Service
public class ImportJobs {

	private static final Logger log = LoggerFactory.getLogger(ImportJobs.class);

	private static final int REPORT_QUESTION_CHARS = 200;

	private static final String INSERT_JOB = """
			INSERT INTO qa_import_jobs (workspace_id, created_by, file_name, file_sha256, file_bytes)
			VALUES (:workspaceId, :createdBy, :fileName, :sha256, :bytes)
			RETURNING id
			""";

	static final String JOB_COLUMNS = """
			id, file_name, file_sha256, file_bytes, total_rows, processed_rows, imported_rows, duplicate_rows, invalid_rows,
			error, created_at, started_at, finished_at, updated_at,
			CASE WHEN status IN ('queued', 'running') AND updated_at < now() - CAST(:staleAfter AS interval)
			     THEN 'interrupted' ELSE status END AS status
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

	private static final String INSERT_PAIRS = """
			INSERT INTO qa_pairs (workspace_id, question, answer, category, source, metadata)
			SELECT :workspaceId, t.q, t.a, t.c, 'csv_import', jsonb_build_object('import_job_id', :jobId, 'import_row', t.n)
			FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS t(n int, q text, a text, c text)
			ORDER BY t.n
			RETURNING id, (metadata ->> 'import_row')::int AS n
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

	private final OwnerDb db;

	private final JsonMapper json;

	private final OwnerProperties.Csv settings;

	private final ThreadPoolExecutor workers;

	ImportJobs(OwnerDb db, JsonMapper json, OwnerProperties properties) {
		this.db = db;
		this.json = json;
		this.settings = properties.csv();
		AtomicInteger threads = new AtomicInteger();
		this.workers = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), runnable -> {
			Thread thread = new Thread(runnable, "owner-import-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@PreDestroy
	void stop() {
		this.workers.shutdownNow();
	}

	public record Job(UUID id, String status, String fileName, String fileSha256, long fileBytes, Integer totalRows,
			int processedRows, int importedRows, int duplicateRows, int invalidRows, String error,
			OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt, OffsetDateTime updatedAt) {
	}

	public record RowReport(int rowNumber, int lineNumber, String outcome, String reason, String question,
			UUID qaPairId) {
	}

	static final RowMapper<Job> JOB = (row, i) -> new Job(row.getObject("id", UUID.class), row.getString("status"),
			row.getString("file_name"), row.getString("file_sha256"), row.getLong("file_bytes"),
			(Integer) row.getObject("total_rows"), row.getInt("processed_rows"), row.getInt("imported_rows"),
			row.getInt("duplicate_rows"), row.getInt("invalid_rows"), row.getString("error"),
			row.getObject("created_at", OffsetDateTime.class), row.getObject("started_at", OffsetDateTime.class),
			row.getObject("finished_at", OffsetDateTime.class), row.getObject("updated_at", OffsetDateTime.class));

	String staleAfter() {
		return this.settings.staleAfter().toSeconds() + " seconds";
	}

	/** Stores the upload and queues its import; the job as created. */
	public Job start(OwnerPrincipal owner, InputStream upload, String fileName) {
		Path file;
		try {
			file = Files.createTempFile("clara-import-", ".csv");
		}
		catch (IOException ex) {
			throw new IllegalStateException("no temporary file for the upload", ex);
		}
		boolean queued = false;
		try {
			Stored stored = store(upload, file);
			if (stored.bytes() == 0) {
				throw OwnerProblems.invalid("file", "is empty");
			}
			Job job = this.db.as(owner, sql -> {
				UUID id = sql.sql(INSERT_JOB)
					.param("workspaceId", OwnerDb.workspaceId(sql))
					.param("createdBy", owner.userId())
					.param("fileName", fileName(fileName))
					.param("sha256", stored.sha256())
					.param("bytes", stored.bytes())
					.query(UUID.class)
					.single();
				return find(sql, id);
			});
			try {
				this.workers.execute(() -> run(owner, job.id(), file));
				queued = true;
			}
			catch (RejectedExecutionException ex) {
				this.db.run(owner, sql -> fail(sql, job.id(), "too many imports are queued; upload the file again later"));
				throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Busy",
						"Too many imports are queued; try again in a minute");
			}
			return job;
		}
		finally {
			if (!queued) {
				deleteQuietly(file);
			}
		}
	}

	public Job find(JdbcClient sql, UUID id) {
		return sql.sql("SELECT " + JOB_COLUMNS + " FROM qa_import_jobs WHERE id = :id")
			.param("id", id)
			.param("staleAfter", staleAfter())
			.query(JOB)
			.optional()
			.orElseThrow(() -> OwnerProblems.notFound("import job"));
	}

	private record Stored(String sha256, long bytes) {
	}

	private Stored store(InputStream upload, Path file) {
		MessageDigest sha256;
		try {
			sha256 = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		long max = this.settings.maxBytes().toBytes();
		long total = 0;
		try (InputStream in = new DigestInputStream(upload, sha256); OutputStream out = Files.newOutputStream(file)) {
			byte[] buffer = new byte[64 * 1024];
			int n;
			while ((n = in.read(buffer)) > 0) {
				total += n;
				if (total > max) {
					throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "Body too large",
							"The CSV file must be at most " + max + " bytes");
				}
				out.write(buffer, 0, n);
			}
		}
		catch (IOException ex) {
			if (ex instanceof dev.clara.chat.web.LimitedRequest.TooLarge) {
				throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "Body too large",
						"The CSV file must be at most " + max + " bytes");
			}
			throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid request", "The upload could not be read");
		}
		return new Stored(java.util.HexFormat.of().formatHex(sha256.digest()), total);
	}

	// ───────────────────────────── the worker ─────────────────────────────

	void run(OwnerPrincipal owner, UUID jobId, Path file) {
		try {
			int total = count(file);
			if (total > this.settings.maxRows()) {
				this.db.run(owner, sql -> fail(sql, jobId,
						"the file has " + total + " rows; at most " + this.settings.maxRows() + " are imported at once"));
				return;
			}
			this.db.run(owner, sql -> sql
				.sql("UPDATE qa_import_jobs SET status = 'running', total_rows = :total, started_at = now() WHERE id = :id")
				.param("total", total)
				.param("id", jobId)
				.update());
			importRows(owner, jobId, file);
			this.db.run(owner, sql -> sql
				.sql("UPDATE qa_import_jobs SET status = 'completed', finished_at = now() WHERE id = :id")
				.param("id", jobId)
				.update());
		}
		catch (RuntimeException | IOException ex) {
			log.warn("CSV import job {} failed: {}", jobId, ex.getClass().getSimpleName());
			try {
				this.db.run(owner, sql -> fail(sql, jobId, "the import stopped unexpectedly; upload the file again "
						+ "(rows already imported are skipped)"));
			}
			catch (RuntimeException again) {
				log.warn("CSV import job {} could not be marked failed: {}", jobId, again.getClass().getSimpleName());
			}
		}
		finally {
			deleteQuietly(file);
		}
	}

	private static void fail(JdbcClient sql, UUID jobId, String reason) {
		sql.sql("UPDATE qa_import_jobs SET status = 'failed', error = :error, finished_at = now() WHERE id = :id")
			.param("error", reason)
			.param("id", jobId)
			.update();
	}

	private int count(Path file) throws IOException {
		try (Reader reader = open(file)) {
			CsvReader csv = reader(reader);
			CsvRows rows = rows();
			CsvReader.Record record;
			while ((record = csv.next()) != null) {
				rows.accept(record);
			}
			return rows.dataRows();
		}
	}

	private void importRows(OwnerPrincipal owner, UUID jobId, Path file) throws IOException {
		try (Reader reader = open(file)) {
			CsvReader csv = reader(reader);
			CsvRows rows = rows();
			List<CsvRows.Row> batch = new ArrayList<>(this.settings.batchSize());
			CsvReader.Record record;
			while ((record = csv.next()) != null) {
				CsvRows.Row row = rows.accept(record);
				if (row != null) {
					batch.add(row);
					if (batch.size() == this.settings.batchSize()) {
						writeBatch(owner, jobId, batch);
						batch.clear();
					}
				}
				if (Thread.currentThread().isInterrupted()) {
					throw new IOException("interrupted");
				}
			}
			if (!batch.isEmpty()) {
				writeBatch(owner, jobId, batch);
			}
		}
	}

	/** One batch: its pairs, its report rows and the job's progress, in one owner transaction. */
	private void writeBatch(OwnerPrincipal owner, UUID jobId, List<CsvRows.Row> batch) {
		this.db.run(owner, sql -> {
			UUID workspace = OwnerDb.workspaceId(sql);
			sql.sql(LOCK).param("workspaceId", workspace).query().singleRow();
			Map<Integer, String> outcome = new HashMap<>();
			Map<Integer, String> reason = new HashMap<>();
			List<CsvRows.Row> valid = batch.stream().filter(CsvRows.Row::valid).toList();
			for (CsvRows.Row row : batch) {
				if (!row.valid()) {
					outcome.put(row.number(), "invalid");
					reason.put(row.number(), row.invalid());
				}
			}
			if (!valid.isEmpty()) {
				String questions = questions(valid);
				// already in the knowledge base (an earlier batch of this file, an earlier import, or by hand)
				sql.sql(EXISTING).param("rows", questions).query((r, i) -> {
					int n = r.getInt("n");
					String job = r.getString("job");
					outcome.put(n, "duplicate");
					reason.put(n, jobId.toString().equals(job) && r.getString("row_number") != null
							? "same question as row " + r.getString("row_number") + " of this file"
							: "the question is already in the knowledge base");
					return null;
				}).list();
				// twice in this batch
				Map<String, Integer> firstByKey = new HashMap<>();
				sql.sql(KEYS).param("rows", questions).query((r, i) -> {
					int n = r.getInt("n");
					Integer first = firstByKey.putIfAbsent(r.getString("key"), n);
					if (first != null && !outcome.containsKey(n)) {
						outcome.put(n, "duplicate");
						reason.put(n, "same question as row " + first + " of this file");
					}
					return null;
				}).list();
			}
			ArrayNode inserts = this.json.createArrayNode();
			for (CsvRows.Row row : valid) {
				if (!outcome.containsKey(row.number())) {
					inserts.addObject()
						.put("n", row.number())
						.put("q", row.question())
						.put("a", row.answer())
						.put("c", row.category());
				}
			}
			Map<Integer, UUID> created = new HashMap<>();
			if (!inserts.isEmpty()) {
				sql.sql(INSERT_PAIRS)
					.param("workspaceId", workspace)
					.param("jobId", jobId.toString())
					.param("rows", this.json.writeValueAsString(inserts))
					.query((r, i) -> created.put(r.getInt("n"), r.getObject("id", UUID.class)))
					.list();
			}
			ArrayNode report = this.json.createArrayNode();
			int imported = 0;
			int duplicates = 0;
			int invalid = 0;
			for (CsvRows.Row row : batch) {
				String result = outcome.getOrDefault(row.number(), "imported");
				switch (result) {
					case "imported" -> imported++;
					case "duplicate" -> duplicates++;
					default -> invalid++;
				}
				ObjectNode entry = report.addObject()
					.put("n", row.number())
					.put("l", row.line())
					.put("o", result)
					.put("r", reason.get(row.number()))
					.put("q", row.question() == null ? null
							: row.question().substring(0, Math.min(REPORT_QUESTION_CHARS, row.question().length())));
				UUID pair = created.get(row.number());
				entry.put("p", pair == null ? null : pair.toString());
			}
			sql.sql(INSERT_REPORT)
				.param("jobId", jobId)
				.param("workspaceId", workspace)
				.param("rows", this.json.writeValueAsString(report))
				.update();
			sql.sql(PROGRESS)
				.param("processed", batch.size())
				.param("imported", imported)
				.param("duplicates", duplicates)
				.param("invalid", invalid)
				.param("jobId", jobId)
				.update();
		});
	}

	private String questions(List<CsvRows.Row> rows) {
		ArrayNode array = this.json.createArrayNode();
		rows.forEach(row -> array.addObject().put("n", row.number()).put("q", row.question()));
		return this.json.writeValueAsString(array);
	}

	private CsvReader reader(Reader reader) {
		return new CsvReader(reader, Math.max(this.settings.maxAnswerChars(), this.settings.maxQuestionChars()) + 1,
				32);
	}

	private CsvRows rows() {
		return new CsvRows(this.settings.maxQuestionChars(), this.settings.maxAnswerChars(),
				this.settings.maxCategoryChars());
	}

	private static Reader open(Path file) throws IOException {
		return new BufferedReader(new InputStreamReader(Files.newInputStream(file),
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPLACE)
					.onUnmappableCharacter(CodingErrorAction.REPLACE)),
				64 * 1024);
	}

	private static String fileName(String name) {
		if (name == null || name.isBlank()) {
			return null;
		}
		String base = name.replace('\\', '/');
		base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}]", "");
		return base.length() > 255 ? base.substring(0, 255) : base;
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			log.warn("Temporary upload {} could not be deleted", file.getFileName());
		}
	}

}
