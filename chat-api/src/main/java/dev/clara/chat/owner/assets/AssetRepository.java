package dev.clara.chat.owner.assets;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Avatar and chat icon objects in the storage shim, and the workspace settings that point at them.
 * The owner's statements run inside {@code OwnerDb.as}, under storage.objects' own policies; the
 * public read runs with the service's rights and finds only objects of public buckets.
 */
@Repository
class AssetRepository {

	private static final String DELETE_OTHER_EXTENSIONS = """
			DELETE FROM storage.objects WHERE bucket_id = :bucket AND name LIKE :prefix AND name <> :name
			""";

	private static final String UPSERT_OBJECT = """
			INSERT INTO storage.objects (bucket_id, name, owner, metadata)
			VALUES (:bucket, :name, auth.uid(), CAST(:metadata AS jsonb))
			ON CONFLICT (bucket_id, name) DO UPDATE
			SET owner = EXCLUDED.owner, metadata = EXCLUDED.metadata, updated_at = now()
			RETURNING id
			""";

	private static final String UPSERT_CONTENT = """
			INSERT INTO storage_object_contents (object_id, workspace_id, content, content_type, sha256)
			VALUES (:id, :workspaceId, :content, :type, :sha256)
			ON CONFLICT (object_id) DO UPDATE
			SET content = EXCLUDED.content, content_type = EXCLUDED.content_type, sha256 = EXCLUDED.sha256
			""";

	private static final String SET_URL = """
			UPDATE workspaces SET settings = jsonb_set(settings, CAST(:path AS text[]), to_jsonb(CAST(:url AS text)))
			""";

	private static final String DELETE_ALL_EXTENSIONS = "DELETE FROM storage.objects WHERE bucket_id = :bucket AND name LIKE :prefix";

	private static final String CLEAR_URL = """
			UPDATE workspaces SET settings = jsonb_set(settings, CAST(:path AS text[]), 'null'::jsonb)
			""";

	private static final String PUBLIC_READ = """
			SELECT c.content, c.content_type, c.sha256
			FROM storage.objects o
			JOIN storage.buckets b ON b.id = o.bucket_id AND b.public
			JOIN storage_object_contents c ON c.object_id = o.id
			WHERE o.bucket_id = :bucket AND o.name = :name
			""";

	private final JdbcClient jdbc;

	AssetRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** An object's bytes as stored. */
	record Stored(byte[] content, String contentType, String sha256) {
	}

	/** An object to store: {@code metadata} is storage.objects' JSON (mimetype, size, eTag, cacheControl). */
	record NewObject(String bucket, String name, String metadata, byte[] content, String contentType, String sha256) {
	}

	/**
	 * Stores the object as {@code name}, replacing it and any other object whose name starts with
	 * {@code replacedPrefix} (the same asset with another extension).
	 */
	void store(JdbcClient sql, UUID workspaceId, NewObject object, String replacedPrefix) {
		sql.sql(DELETE_OTHER_EXTENSIONS)
			.param("bucket", object.bucket())
			.param("prefix", replacedPrefix + "%")
			.param("name", object.name())
			.update();
		UUID objectId = sql.sql(UPSERT_OBJECT)
			.param("bucket", object.bucket())
			.param("name", object.name())
			.param("metadata", object.metadata())
			.query(UUID.class)
			.single();
		sql.sql(UPSERT_CONTENT)
			.param("id", objectId)
			.param("workspaceId", workspaceId)
			.param("content", object.content())
			.param("type", object.contentType())
			.param("sha256", object.sha256())
			.update();
	}

	/** Deletes the objects whose names start with {@code prefix}; how many there were. */
	int delete(JdbcClient sql, String bucket, String prefix) {
		return sql.sql(DELETE_ALL_EXTENSIONS).param("bucket", bucket).param("prefix", prefix + "%").update();
	}

	/** Sets the workspace setting {@code setting} to {@code url}, or to null when {@code url} is null. */
	void setUrl(JdbcClient sql, String setting, String url) {
		if (url == null) {
			sql.sql(CLEAR_URL).param("path", "{" + setting + "}").update();
		}
		else {
			sql.sql(SET_URL).param("path", "{" + setting + "}").param("url", url).update();
		}
	}

	/** With the service's rights: an object of a public bucket. */
	Optional<Stored> readPublic(String bucket, String name) {
		return this.jdbc.sql(PUBLIC_READ)
			.param("bucket", bucket)
			.param("name", name)
			.query((row, i) -> new Stored(row.getBytes("content"), row.getString("content_type"),
					row.getString("sha256")))
			.optional();
	}

}
