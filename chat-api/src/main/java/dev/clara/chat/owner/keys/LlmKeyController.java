package dev.clara.chat.owner.keys;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.keys.LlmKeyRepository.LlmKey;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.shared.crypto.EncryptedSecret;
import dev.clara.shared.crypto.LlmKeyCipher;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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

	private final OwnerDb db;

	private final JsonMapper json;

	private final LlmKeyRepository keys;

	private final ObjectProvider<LlmKeyCipher> cipher;

	LlmKeyController(OwnerDb db, JsonMapper json, LlmKeyRepository keys, ObjectProvider<LlmKeyCipher> cipher) {
		this.db = db;
		this.json = json;
		this.keys = keys;
		this.cipher = cipher;
	}

	@GetMapping
	List<LlmKey> list(OwnerPrincipal owner) {
		return this.db.as(owner, this.keys::list);
	}

	/** {@code provider}, {@code model}, {@code api_key}, optional {@code label} and {@code is_default}. */
	@PostMapping
	ResponseEntity<LlmKey> create(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		LlmKeyCipher keyCipher = this.cipher.getIfAvailable();
		if (keyCipher == null) {
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
			EncryptedSecret secret = keyCipher.encrypt(rawKey, LlmKeyCipher.aad(workspace, id));
			this.keys.insert(sql, new LlmKeyRepository.NewKey(id, workspace, provider, model, secret,
					LlmKeyCipher.last4(rawKey), label));
			boolean firstActive = !this.keys.hasActiveDefault(sql);
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
			if (!this.keys.delete(sql, key)) {
				throw OwnerProblems.notFound("LLM key");
			}
		});
		return ResponseEntity.noContent().build();
	}

	private LlmKey setActive(OwnerPrincipal owner, String id, boolean active) {
		UUID key = Ids.parse(id, "LLM key");
		return this.db.as(owner, sql -> {
			if (!this.keys.setActive(sql, key, active)) {
				throw OwnerProblems.notFound("LLM key");
			}
			return one(sql, key);
		});
	}

	/** {@code set_default_api_key}: clears the old default and sets this one, under row-level security. */
	private void setDefault(JdbcClient sql, UUID key) {
		switch (this.keys.setDefault(sql, key)) {
			case NO_SUCH_KEY -> throw OwnerProblems.notFound("LLM key");
			case KEY_INACTIVE ->
				throw OwnerProblems.conflict("The key is deactivated; activate it before making it the default");
			case DONE -> {
			}
		}
	}

	private LlmKey one(JdbcClient sql, UUID id) {
		return this.keys.find(sql, id).orElseThrow(() -> OwnerProblems.notFound("LLM key"));
	}

}
