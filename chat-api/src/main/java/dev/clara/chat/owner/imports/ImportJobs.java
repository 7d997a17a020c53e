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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.imports.ImportJobRepository.Job;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.Texts;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

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
class ImportJobs {

	private static final Logger log = LoggerFactory.getLogger(ImportJobs.class);

	private final OwnerDb db;

	private final ImportJobRepository jobs;

	private final ImportBatches batches;

	private final OwnerProperties.Csv settings;

	private final ImportProgressEvents events;

	private final ThreadPoolExecutor workers;

	ImportJobs(OwnerDb db, ImportJobRepository jobs, ImportBatches batches, ImportProgressEvents events,
			OwnerProperties properties) {
		this.db = db;
		this.jobs = jobs;
		this.batches = batches;
		this.events = events;
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

	/** Stores the upload and queues its import; the job as created. */
	Job start(OwnerPrincipal owner, InputStream upload, String fileName) {
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
				Job created = find(sql, this.jobs.insertJob(sql, OwnerDb.workspaceId(sql), owner.userId(),
						fileName(fileName), stored.sha256(), stored.bytes()));
				this.events.publish(sql, created.id());
				return created;
			});
			try {
				this.workers.execute(() -> run(owner, job.id(), file));
				queued = true;
			}
			catch (RejectedExecutionException ex) {
				fail(owner, job.id(), "too many imports are queued; upload the file again later");
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

	/** The owner's import job, inside {@code OwnerDb.as}; 404 when there is none. */
	Job find(JdbcClient sql, UUID id) {
		return this.jobs.find(sql, id).orElseThrow(() -> OwnerProblems.notFound("import job"));
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
				fail(owner, jobId,
						"the file has " + total + " rows; at most " + this.settings.maxRows() + " are imported at once");
				return;
			}
			this.db.run(owner, sql -> {
				this.jobs.start(sql, jobId, total);
				this.events.publish(sql, jobId);
			});
			importRows(owner, jobId, file);
			this.db.run(owner, sql -> {
				this.jobs.complete(sql, jobId);
				this.events.publish(sql, jobId);
			});
		}
		catch (RuntimeException | IOException ex) {
			log.warn("CSV import job {} failed: {}", jobId, ex.getClass().getSimpleName());
			try {
				fail(owner, jobId, "the import stopped unexpectedly; upload the file again "
						+ "(rows already imported are skipped)");
			}
			catch (RuntimeException again) {
				log.warn("CSV import job {} could not be marked failed: {}", jobId, again.getClass().getSimpleName());
			}
		}
		finally {
			deleteQuietly(file);
		}
	}

	/** Marks the job failed and announces it, in one owner transaction. */
	private void fail(OwnerPrincipal owner, UUID jobId, String reason) {
		this.db.run(owner, sql -> {
			this.jobs.fail(sql, jobId, reason);
			this.events.publish(sql, jobId);
		});
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
						this.batches.write(owner, jobId, batch);
						batch.clear();
					}
				}
				if (Thread.currentThread().isInterrupted()) {
					throw new IOException("interrupted");
				}
			}
			if (!batch.isEmpty()) {
				this.batches.write(owner, jobId, batch);
			}
		}
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
		// a label for the owner's list, not content: what the text rule refuses is dropped, not refused
		base = Texts.scrub(base.substring(base.lastIndexOf('/') + 1), "");
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
