package dev.clara.chat.owner.keys;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.shared.crypto.EncryptedSecret;
import dev.clara.shared.crypto.LlmKeyCipher;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workspace's own LLM API keys. A key is encrypted with the shared AES-256-GCM cipher under
 * the current master key, with associated data {@code workspaceId:rowId} (the row id is chosen
 * before the insert), and only its last four characters ever leave the server. The owner's role
 * cannot even read {@code encrypted_key} (column privileges): every statement here names its
 * columns.
 */
@RestController
@RequestMapping("/api/owner/llm-keys")
class LlmKeyController {

	static final Set<String> PROVIDERS = Set.of("openai", "anthropic");

	private static final String COLUMNS = "id, provider, model, label, key_last4, is_default, is_active, created_at, updated_at";

	private static final String INSERT = """
			INSERT INTO api_keys (id, workspace_id, provider, model, encrypted_key, key_id, key_last4, label)
			VALUES (:id, :workspaceId, :provider, :model, :encrypted, :keyId, :last4, :label)
			""";

	private final OwnerDb db;

	private final JsonMapper json;

	private final ObjectProvider<LlmKeyCipher> cipher;

	LlmKeyController(OwnerDb db, JsonMapper json, ObjectProvider<LlmKeyCipher> cipher) {
		this.db = db;
		this.json = json;
		this.cipher = cipher;
	}

	/** A key as the owner sees it: never the key, never its ciphertext. */
	record LlmKey(UUID id, String provider, String model, String label, String keyLast4, boolean isDefault,
			boolean isActive, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
	}

	static final RowMapper<LlmKey> ROW = (row, i) -> new LlmKey(row.getObject("id", UUID.class),
			row.getString("provider"), row.getString("model"), row.getString("label"), row.getString("key_last4"),
			row.getBoolean("is_default"), row.getBoolean("is_active"), row.getObject("created_at", OffsetDateTime.class),
			row.getObject("updated_at", OffsetDateTime.class));

	@GetMapping
	List<LlmKey> list(OwnerPrincipal owner) {
		return this.db.as(owner, sql -> sql.sql("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id")
			.query(ROW)
			.list());
	}

	/** {@code provider}, {@code model}, {@code api_key}, optional {@code label} and {@code is_default}. */
	@PostMapping
	ResponseEntity<LlmKey> create(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		LlmKeyCipher keys = this.cipher.getIfAvailable();
		if (keys == null) {
			throw OwnerProblems.unavailable("LLM keys need the deployment's master keys (CLARA_MASTER_KEYS)");
		}
		JsonBody request = JsonBody.parse(this.json, body, Set.of("provider", "model", "api_key", "label", "is_default"));
		String provider = request.text("provider", true, 20);
		if (provider != null && !PROVIDERS.contains(provider)) {
			request.error("provider", "must be openai or anthropic");
		}
		String model = request.text("model", true, 100);
		String rawKey = request.secret("api_key", 8, 512);
		if (rawKey != null && (!rawKey.equals(rawKey.strip()) || rawKey.chars().anyMatch(Character::isWhitespace))) {
			request.error("api_key", "must not contain spaces or line breaks");
		}
		String label = request.text("label", false, 100);
		Boolean makeDefault = request.bool("is_default");
		request.validate();
		UUID id = UUID.randomUUID();
		LlmKey created = this.db.as(owner, sql -> {
			UUID workspace = OwnerDb.workspaceId(sql);
			EncryptedSecret secret = keys.encrypt(rawKey, LlmKeyCipher.aad(workspace, id));
			sql.sql(INSERT)
				.param("id", id)
				.param("workspaceId", workspace)
				.param("provider", provider)
				.param("model", model)
				.param("encrypted", secret.value())
				.param("keyId", secret.keyId())
				.param("last4", LlmKeyCipher.last4(rawKey))
				.param("label", label)
				.update();
			boolean firstActive = sql.sql("SELECT count(*) FROM api_keys WHERE is_active AND is_default")
				.query(Long.class)
				.single() == 0;
			if (Boolean.TRUE.equals(makeDefault) || (makeDefault == null && firstActive)) {
				setDefault(sql, id);
			}
			return one(sql, id);
		});
		return ResponseEntity.status(HttpStatus.CREATED).body(created);
	}

	@PostMapping("/{id}/default")
	LlmKey makeDefault(OwnerPrincipal owner, @PathVariable String id) {
		UUID key = Ids.parse(id, "LLM key");
		return this.db.as(owner, sql -> {
			setDefault(sql, key);
			return one(sql, key);
		});
	}

	@PostMapping("/{id}/deactivate")
	LlmKey deactivate(OwnerPrincipal owner, @PathVariable String id) {
		return setActive(owner, id, false);
	}

	@PostMapping("/{id}/activate")
	LlmKey activate(OwnerPrincipal owner, @PathVariable String id) {
		return setActive(owner, id, true);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(OwnerPrincipal owner, @PathVariable String id) {
		UUID key = Ids.parse(id, "LLM key");
		this.db.run(owner, sql -> {
			if (sql.sql("DELETE FROM api_keys WHERE id = :id").param("id", key).update() == 0) {
				throw OwnerProblems.notFound("LLM key");
			}
		});
		return ResponseEntity.noContent().build();
	}

	private LlmKey setActive(OwnerPrincipal owner, String id, boolean active) {
		UUID key = Ids.parse(id, "LLM key");
		return this.db.as(owner, sql -> {
			int updated = sql.sql("""
					UPDATE api_keys SET is_active = :active, is_default = CASE WHEN :active THEN is_default ELSE false END
					WHERE id = :id
					""").param("active", active).param("id", key).update();
			if (updated == 0) {
				throw OwnerProblems.notFound("LLM key");
			}
			return one(sql, key);
		});
	}

	/** {@code set_default_api_key}: clears the old default and sets this one, under row-level security. */
	private static void setDefault(JdbcClient sql, UUID key) {
		try {
			sql.sql("SELECT set_default_api_key(:id)").param("id", key).query().singleRow();
		}
		catch (DataAccessException ex) {
			String state = sqlState(ex);
			if ("P0002".equals(state)) {
				throw OwnerProblems.notFound("LLM key");
			}
			if ("55000".equals(state)) {
				throw OwnerProblems.conflict("The key is deactivated; activate it before making it the default");
			}
			throw ex;
		}
	}

	private static LlmKey one(JdbcClient sql, UUID id) {
		return sql.sql("SELECT " + COLUMNS + " FROM api_keys WHERE id = :id")
			.param("id", id)
			.query(ROW)
			.optional()
			.orElseThrow(() -> OwnerProblems.notFound("LLM key"));
	}

	static String sqlState(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
		}
		return null;
	}

}
