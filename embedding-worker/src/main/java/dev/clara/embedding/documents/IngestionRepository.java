package dev.clara.embedding.documents;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.embedding.EmbeddingUsageRepository;
import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.events.DocumentIngested;
import dev.clara.shared.events.EventCodec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The worker's side of documents: claiming a version, reading its file in slices, its chunks and
 * their vectors (guarded like pairs' vectors), and the final status with its
 * {@code DocumentIngested} outbox row. A version is claimed only while it is the document's newest
 * and still pending or processing, so a stale, repeated or late event does nothing, a failed
 * version fails once, and a worker that died mid-document resumes it on redelivery.
 */
@Repository
class IngestionRepository {

	private static final String CLAIM = """
			UPDATE documents SET status = 'processing'
			WHERE id = :id AND version = :version AND status IN ('pending', 'processing')
			RETURNING workspace_id, file_path, file_type
			""";

	private static final String FILE_SIZE = """
			SELECT octet_length(c.content)
			FROM storage.objects o JOIN storage_object_contents c ON c.object_id = o.id
			WHERE o.bucket_id = :bucket AND o.name = :name
			""";

	private static final String SLICE = """
			SELECT substring(c.content FROM :from FOR :length)
			FROM storage.objects o JOIN storage_object_contents c ON c.object_id = o.id
			WHERE o.bucket_id = :bucket AND o.name = :name
			""";

	private static final String INSERT_CHUNK = """
			INSERT INTO document_chunks (document_id, workspace_id, document_version, chunk_index, content, metadata)
			SELECT d.id, d.workspace_id, :version, :index, :content, CAST(:metadata AS jsonb)
			FROM documents d WHERE d.id = :id AND d.version = :version AND d.status = 'processing'
			ON CONFLICT (document_id, document_version, chunk_index) DO NOTHING
			""";

	/** Whether a chunk lacks a vector of {@code :model}: its own, or a staged one during a model switch. */
	private static final String NEEDS_VECTOR = """
			CASE WHEN w.search_model IS NULL OR w.search_model = :model
			       THEN c.embedding_model IS DISTINCT FROM :model
			     ELSE NOT EXISTS (SELECT 1 FROM document_chunk_staged_embeddings s
			                      WHERE s.chunk_id = c.id AND s.embedding_model = :model)
			END
			""";

	private static final String PENDING_CHUNKS = """
			SELECT c.id, c.workspace_id, c.content, c.metadata->>'heading' AS heading,
			       (w.search_model IS NOT NULL AND w.search_model <> :model) AS staged
			FROM document_chunks c JOIN workspaces w ON w.id = c.workspace_id
			WHERE c.document_id = :id AND c.document_version = :version AND
			""" + NEEDS_VECTOR + """
			ORDER BY c.chunk_index LIMIT :limit
			""";

	private static final String WRITE = """
			UPDATE document_chunks
			SET embedding = CAST(:embedding AS extensions.vector), embedding_model = :model, embedded_at = now()
			WHERE id = :id
			""";

	private static final String STAGE = """
			INSERT INTO document_chunk_staged_embeddings (chunk_id, workspace_id, embedding_model, embedding)
			SELECT id, workspace_id, :model, CAST(:embedding AS extensions.vector) FROM document_chunks WHERE id = :id
			ON CONFLICT (chunk_id, embedding_model) DO UPDATE SET embedding = EXCLUDED.embedding, embedded_at = now()
			""";

	private static final String ADOPT_MODEL = """
			UPDATE workspaces SET search_model = :model WHERE id = :workspaceId AND search_model IS NULL
			""";

	private static final String LOCK_PROCESSING = """
			SELECT workspace_id FROM documents WHERE id = :id AND version = :version AND status = 'processing' FOR UPDATE
			""";

	private static final String COUNT_PENDING = """
			SELECT count(*) FROM document_chunks c JOIN workspaces w ON w.id = c.workspace_id
			WHERE c.document_id = :id AND c.document_version = :version AND
			""" + NEEDS_VECTOR;

	private static final String READY = """
			UPDATE documents SET status = 'ready', serving_version = :version, failure_reason = NULL,
			       metadata = metadata || CAST(:metadata AS jsonb)
			WHERE id = :id AND version = :version
			RETURNING updated_at
			""";

	private static final String DROP_OTHER_VERSIONS = """
			DELETE FROM document_chunks WHERE document_id = :id AND document_version <> :version
			""";

	private static final String COUNT_CHUNKS = """
			SELECT count(*) FROM document_chunks WHERE document_id = :id AND document_version = :version
			""";

	private static final String FAILED = """
			UPDATE documents SET status = 'failed', failure_reason = :reason, metadata = metadata || CAST(:metadata AS jsonb)
			WHERE id = :id AND version = :version AND status = 'processing'
			RETURNING workspace_id, updated_at
			""";

	private static final String DROP_FAILED_VERSION = """
			DELETE FROM document_chunks WHERE document_id = :id AND document_version = :version
			""";

	/** Serving versions with chunks that lack a vector of the model (a model switch). */
	private static final String VERSIONS_MISSING_VECTORS = """
			SELECT DISTINCT c.document_id, c.document_version
			FROM document_chunks c JOIN workspaces w ON w.id = c.workspace_id
			JOIN documents d ON d.id = c.document_id AND c.document_version = d.serving_version
			WHERE
			""" + NEEDS_VECTOR;

	/** Versions still waiting whose event was lost to the dead-letter topic (nothing has touched them for a while). */
	private static final String STALLED_VERSIONS = """
			SELECT id, version FROM documents
			WHERE status IN ('pending', 'processing') AND updated_at < now() - CAST(:quiet AS interval)
			ORDER BY updated_at
			""";

	private static final String DOCUMENT = "document";

	private static final int SLICE_BYTES = 1024 * 1024;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final OutboxWriter outbox;

	private final EmbeddingUsageRepository usage;

	IngestionRepository(JdbcClient jdbc, TransactionTemplate transactions, OutboxWriter outbox,
			EmbeddingUsageRepository usage) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.outbox = outbox;
		this.usage = usage;
	}

	/** A document's version. */
	record Version(UUID documentId, int version) {
	}

	List<Version> versionsMissingVectors(String model) {
		return this.jdbc.sql(VERSIONS_MISSING_VECTORS)
			.param("model", model)
			.query((row, i) -> new Version(row.getObject("document_id", UUID.class), row.getInt("document_version")))
			.list();
	}

	List<Version> stalledVersions(java.time.Duration quiet) {
		return this.jdbc.sql(STALLED_VERSIONS)
			.param("quiet", quiet.toSeconds() + " seconds")
			.query((row, i) -> new Version(row.getObject("id", UUID.class), row.getInt("version")))
			.list();
	}

	/** A claimed version: whose it is and where its file is. */
	record Claimed(UUID workspaceId, String filePath, String contentType) {
	}

	/** A chunk that needs a vector, with the text to embed. */
	record PendingChunk(UUID id, UUID workspaceId, String content, String heading, boolean staged) {

		String textToEmbed() {
			return this.heading == null || this.heading.isBlank() ? this.content : this.heading + "\n" + this.content;
		}

	}

	Optional<Claimed> claim(UUID id, int version) {
		return this.jdbc.sql(CLAIM)
			.param("id", id)
			.param("version", version)
			.query((row, i) -> new Claimed(row.getObject("workspace_id", UUID.class), row.getString("file_path"),
					row.getString("file_type")))
			.optional();
	}

	/** Copies the stored file to {@code out} one slice per statement; false when there is no such file. */
	boolean copyFile(String bucket, String name, OutputStream out) {
		Optional<Integer> size = this.jdbc.sql(FILE_SIZE).param("bucket", bucket).param("name", name)
			.query(Integer.class).optional();
		if (size.isEmpty()) {
			return false;
		}
		try {
			for (int from = 1; from <= size.get(); from += SLICE_BYTES) {
				out.write(this.jdbc.sql(SLICE)
					.param("bucket", bucket)
					.param("name", name)
					.param("from", from)
					.param("length", SLICE_BYTES)
					.query(byte[].class)
					.single());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return true;
	}

	/** Stores the chunks of a version being processed; chunks already there (a resumed run) stay as they are. */
	void insertChunks(UUID id, int version, List<Chunker.Chunk> chunks, Map<Integer, String> metadata) {
		this.transactions.executeWithoutResult(status -> {
			for (int i = 0; i < chunks.size(); i++) {
				this.jdbc.sql(INSERT_CHUNK)
					.param("id", id)
					.param("version", version)
					.param("index", i)
					.param("content", chunks.get(i).content())
					.param("metadata", metadata.get(i))
					.update();
			}
		});
	}

	List<PendingChunk> pendingChunks(UUID id, int version, String model, int limit) {
		return this.jdbc.sql(PENDING_CHUNKS)
			.param("id", id)
			.param("version", version)
			.param("model", model)
			.param("limit", limit)
			.query((row, i) -> new PendingChunk(row.getObject("id", UUID.class), row.getObject("workspace_id", UUID.class),
					row.getString("content"), row.getString("heading"), row.getBoolean("staged")))
			.list();
	}

	/**
	 * Writes the vectors (a workspace switching models gets them staged) and the tokens a remote
	 * provider billed, in one transaction. A chunk deleted meanwhile (a newer version replaced it,
	 * the document was deleted) simply takes no vector.
	 */
	int write(List<PendingChunk> chunks, List<float[]> vectors, String model, UUID workspaceId, long tokens) {
		return this.transactions.execute(status -> {
			this.usage.record(workspaceId, model, tokens);
			int written = 0;
			for (int i = 0; i < chunks.size(); i++) {
				PendingChunk chunk = chunks.get(i);
				written += this.jdbc.sql(chunk.staged() ? STAGE : WRITE)
					.param("embedding", new PGvector(vectors.get(i)))
					.param("model", model)
					.param("id", chunk.id())
					.update();
			}
			if (written > 0) {
				this.jdbc.sql(ADOPT_MODEL).param("model", model).param("workspaceId", workspaceId).update();
			}
			return written;
		});
	}

	/**
	 * Makes the version the document's serving one if it is still being processed and every chunk
	 * has its vector: the previous version's chunks go in the same transaction, with the
	 * {@code DocumentIngested} outbox row. Returns the chunk count, or empty when it was not the
	 * moment (a newer version came, chunks are still missing).
	 */
	Optional<Integer> finishReady(UUID id, int version, String model, String metadata) {
		return this.transactions.execute(status -> {
			Optional<UUID> workspace = this.jdbc.sql(LOCK_PROCESSING).param("id", id).param("version", version)
				.query(UUID.class).optional();
			if (workspace.isEmpty() || this.jdbc.sql(COUNT_PENDING).param("id", id).param("version", version)
				.param("model", model).query(Long.class).single() > 0) {
				return Optional.empty();
			}
			Instant finished = this.jdbc.sql(READY).param("id", id).param("version", version).param("metadata", metadata)
				.query(OffsetDateTime.class).single().toInstant();
			this.jdbc.sql(DROP_OTHER_VERSIONS).param("id", id).param("version", version).update();
			int chunks = this.jdbc.sql(COUNT_CHUNKS).param("id", id).param("version", version).query(Integer.class).single();
			announce(workspace.get(), finished, new DocumentIngested(id, version, DocumentIngested.READY, chunks, model,
					null, finished));
			return Optional.of(chunks);
		});
	}

	/** Marks the version failed with the owner's reason, once; its partial chunks go. */
	boolean finishFailed(UUID id, int version, String reason, String metadata) {
		return Boolean.TRUE.equals(this.transactions.execute(status -> {
			Optional<Failed> failed = this.jdbc.sql(FAILED)
				.param("id", id)
				.param("version", version)
				.param("reason", reason)
				.param("metadata", metadata)
				.query((row, i) -> new Failed(row.getObject("workspace_id", UUID.class),
						row.getObject("updated_at", OffsetDateTime.class).toInstant()))
				.optional();
			if (failed.isEmpty()) {
				return false;
			}
			this.jdbc.sql(DROP_FAILED_VERSION).param("id", id).param("version", version).update();
			announce(failed.get().workspaceId(), failed.get().at(), new DocumentIngested(id, version,
					DocumentIngested.FAILED, 0, null, reason, failed.get().at()));
			return true;
		}));
	}

	private record Failed(UUID workspaceId, Instant at) {
	}

	private void announce(UUID workspaceId, Instant at, DocumentIngested event) {
		this.outbox.append(EventCodec.envelope(workspaceId, at, event), DOCUMENT, event.documentId().toString());
	}

}
