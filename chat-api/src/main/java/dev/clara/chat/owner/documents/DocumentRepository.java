package dev.clara.chat.owner.documents;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Documents and their original files in the storage shim. Every statement runs inside
 * {@code OwnerDb.as}: row-level security on {@code documents}, {@code storage.objects} and
 * {@code storage_object_contents} leaves only the owner's own rows.
 */
@Repository
class DocumentRepository {

	private static final String COLUMNS = """
			d.id, d.title, d.file_name, d.file_type, d.file_size, d.status, d.failure_reason, d.version,
			d.serving_version, d.sha256, d.created_at, d.updated_at,
			(SELECT count(*) FROM document_chunks c
			 WHERE c.document_id = d.id AND c.document_version = d.serving_version) AS chunk_count
			""";

	private static final String INSERT = """
			INSERT INTO documents (id, workspace_id, created_by, title, file_name, file_path, file_type, file_size,
			                       sha256, status, version)
			VALUES (:id, :workspaceId, auth.uid(), :title, :fileName, :path, :type, :size, :sha256, 'pending', 1)
			""";

	private static final String NEW_VERSION = """
			UPDATE documents
			SET version = version + 1, status = 'pending', failure_reason = NULL, file_name = :fileName,
			    file_type = :type, file_size = :size, sha256 = :sha256,
			    file_path = :pathPrefix || (version + 1), title = COALESCE(:title, title)
			WHERE id = :id
			RETURNING version, file_path
			""";

	private static final String LOCK = "SELECT version FROM documents WHERE id = :id FOR UPDATE";

	private static final String INSERT_OBJECT = """
			INSERT INTO storage.objects (bucket_id, name, owner, metadata)
			VALUES (:bucket, :name, auth.uid(), CAST(:metadata AS jsonb))
			RETURNING id
			""";

	private static final String INSERT_CONTENT = """
			INSERT INTO storage_object_contents (object_id, workspace_id, content, content_type, sha256)
			VALUES (:id, :workspaceId, :content, :type, :sha256)
			""";

	private static final String DELETE_OTHER_OBJECTS = """
			DELETE FROM storage.objects WHERE bucket_id = :bucket AND name LIKE :prefix AND name <> :keep
			""";

	private static final String DELETE_OBJECTS = "DELETE FROM storage.objects WHERE bucket_id = :bucket AND name LIKE :prefix";

	private static final String FIND = "SELECT " + COLUMNS + " FROM documents d WHERE d.id = :id";

	private static final String LIST = "SELECT " + COLUMNS + """
			FROM documents d ORDER BY d.created_at DESC, d.id LIMIT :limit OFFSET :offset
			""";

	private static final String COUNT = "SELECT count(*) FROM documents";

	private static final String DELETE = "DELETE FROM documents WHERE id = :id RETURNING version";

	private static final String FILE = """
			SELECT d.file_path, d.file_type, d.file_name, octet_length(c.content) AS size
			FROM documents d
			JOIN storage.objects o ON o.bucket_id = :bucket AND o.name = d.file_path
			JOIN storage_object_contents c ON c.object_id = o.id
			WHERE d.id = :id
			""";

	private static final String SLICE = """
			SELECT substring(c.content FROM :from FOR :length)
			FROM storage.objects o JOIN storage_object_contents c ON c.object_id = o.id
			WHERE o.bucket_id = :bucket AND o.name = :name
			""";

	/** The serving version's chunks (what answers questions), in order. */
	private static final String CHUNKS = """
			SELECT c.id, c.chunk_index, c.metadata->>'heading' AS heading, c.content, c.embedding_model, c.embedded_at
			FROM document_chunks c JOIN documents d ON d.id = c.document_id AND c.document_version = d.serving_version
			WHERE d.id = :id
			ORDER BY c.chunk_index LIMIT :limit OFFSET :offset
			""";

	private static final String COUNT_CHUNKS = """
			SELECT count(*) FROM document_chunks c JOIN documents d ON d.id = c.document_id AND c.document_version = d.serving_version
			WHERE d.id = :id
			""";

	/** Bytes read per statement when a file is sent back: the heap holds one slice, not the file. */
	private static final int SLICE_BYTES = 1024 * 1024;

	/** A document as the owner sees it. */
	record Document(UUID id, String title, String fileName, String contentType, long fileSize, String status,
			String failureReason, int version, Integer servingVersion, long chunkCount, String sha256,
			OffsetDateTime createdAt, OffsetDateTime updatedAt) {
	}

	/** A chunk of the serving version as the owner sees it. */
	record Chunk(UUID id, int index, String heading, String content, String embeddingModel, OffsetDateTime embeddedAt) {
	}

	List<Chunk> chunks(JdbcClient sql, UUID id, int limit, int offset) {
		return sql.sql(CHUNKS)
			.param("id", id)
			.param("limit", limit)
			.param("offset", offset)
			.query((row, i) -> new Chunk(row.getObject("id", UUID.class), row.getInt("chunk_index"),
					row.getString("heading"), row.getString("content"), row.getString("embedding_model"),
					row.getObject("embedded_at", OffsetDateTime.class)))
			.list();
	}

	long countChunks(JdbcClient sql, UUID id) {
		return sql.sql(COUNT_CHUNKS).param("id", id).query(Long.class).single();
	}

	/** An uploaded file, on disk until it is stored. */
	record Upload(Path file, long size, String sha256, DocumentType type, String fileName) {
	}

	/** A stored original: where it is and what it is. */
	record StoredFile(String path, String contentType, String fileName, long size) {
	}

	void insert(JdbcClient sql, UUID id, UUID workspaceId, String title, String path, Upload upload) {
		sql.sql(INSERT)
			.param("id", id)
			.param("workspaceId", workspaceId)
			.param("title", title)
			.param("fileName", upload.fileName())
			.param("path", path)
			.param("type", upload.type().mediaType())
			.param("size", upload.size())
			.param("sha256", upload.sha256())
			.update();
	}

	/** Locks the document; its current version, or empty when the owner has no such document. */
	Optional<Integer> lock(JdbcClient sql, UUID id) {
		return sql.sql(LOCK).param("id", id).query(Integer.class).optional();
	}

	/** Makes the upload the document's newest version; returns that version and its file path. */
	NewVersion newVersion(JdbcClient sql, UUID id, String pathPrefix, String title, Upload upload) {
		return sql.sql(NEW_VERSION)
			.param("id", id)
			.param("pathPrefix", pathPrefix)
			.param("title", title)
			.param("fileName", upload.fileName())
			.param("type", upload.type().mediaType())
			.param("size", upload.size())
			.param("sha256", upload.sha256())
			.query((row, i) -> new NewVersion(row.getInt("version"), row.getString("file_path")))
			.single();
	}

	record NewVersion(int version, String path) {
	}

	/**
	 * Stores the file as object {@code name} of {@code bucket}, streaming it from disk into the
	 * database, and removes the other objects under {@code replacedPrefix} (older versions).
	 */
	void storeFile(JdbcClient sql, UUID workspaceId, String bucket, String name, String metadata, Upload upload,
			String replacedPrefix) {
		sql.sql(DELETE_OTHER_OBJECTS)
			.param("bucket", bucket)
			.param("prefix", replacedPrefix + "%")
			.param("keep", name)
			.update();
		UUID objectId = sql.sql(INSERT_OBJECT)
			.param("bucket", bucket)
			.param("name", name)
			.param("metadata", metadata)
			.query(UUID.class)
			.single();
		try (InputStream in = Files.newInputStream(upload.file())) {
			SqlTypeValue content = (statement, index, type, typeName) -> statement.setBinaryStream(index, in,
					upload.size());
			sql.sql(INSERT_CONTENT)
				.param("id", objectId)
				.param("workspaceId", workspaceId)
				.param("content", content)
				.param("type", upload.type().mediaType())
				.param("sha256", upload.sha256())
				.update();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Optional<Document> find(JdbcClient sql, UUID id) {
		return sql.sql(FIND).param("id", id).query((row, i) -> document(row)).optional();
	}

	List<Document> list(JdbcClient sql, int limit, int offset) {
		return sql.sql(LIST).param("limit", limit).param("offset", offset).query((row, i) -> document(row)).list();
	}

	long count(JdbcClient sql) {
		return sql.sql(COUNT).query(Long.class).single();
	}

	/** Deletes the document (its chunks and links go with it); its last version, or empty. */
	Optional<Integer> delete(JdbcClient sql, UUID id) {
		return sql.sql(DELETE).param("id", id).query(Integer.class).optional();
	}

	void deleteFiles(JdbcClient sql, String bucket, String prefix) {
		sql.sql(DELETE_OBJECTS).param("bucket", bucket).param("prefix", prefix + "%").update();
	}

	Optional<StoredFile> file(JdbcClient sql, String bucket, UUID id) {
		return sql.sql(FILE)
			.param("bucket", bucket)
			.param("id", id)
			.query((row, i) -> new StoredFile(row.getString("file_path"), row.getString("file_type"),
					row.getString("file_name"), row.getLong("size")))
			.optional();
	}

	/** Writes the stored file to {@code out}, one slice per statement. */
	void copyFile(JdbcClient sql, String bucket, StoredFile file, OutputStream out) throws IOException {
		for (int from = 1; from <= file.size(); from += SLICE_BYTES) {
			byte[] slice = sql.sql(SLICE)
				.param("bucket", bucket)
				.param("name", file.path())
				.param("from", from)
				.param("length", SLICE_BYTES)
				.query(byte[].class)
				.single();
			out.write(slice);
		}
	}

	private static Document document(ResultSet row) throws SQLException {
		return new Document(row.getObject("id", UUID.class), row.getString("title"), row.getString("file_name"),
				row.getString("file_type"), row.getLong("file_size"), row.getString("status"),
				row.getString("failure_reason"), row.getInt("version"), (Integer) row.getObject("serving_version"),
				row.getLong("chunk_count"), row.getString("sha256"), row.getObject("created_at", OffsetDateTime.class),
				row.getObject("updated_at", OffsetDateTime.class));
	}

}
