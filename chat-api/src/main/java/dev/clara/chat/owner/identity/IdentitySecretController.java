package dev.clara.chat.owner.identity;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.identity.IdentitySecrets;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.identity.OwnerIdentitySecretRepository.Secret;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.shared.crypto.EncryptedSecret;
import dev.clara.shared.crypto.LlmKeyCipher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The workspace's identity secrets: created and shown once, rotated with a grace period in which
 * the old one still verifies, revoked at once. Encrypted like LLM keys, under the deployment's
 * master keys; the owner sees the last four characters only.
 */
@RestController
@RequestMapping("/api/owner/workspace/identity-secrets")
class IdentitySecretController {

	static final int DEFAULT_GRACE_HOURS = 24;

	static final int MAX_GRACE_HOURS = 24 * 30;

	/** At most this many secrets verify at once: a rotation leaves two, a runaway script cannot pile them up. */
	static final int MAX_VERIFYING = 5;

	private static final String WHAT = "identity secret";

	private final OwnerDb db;

	private final JsonMapper json;

	private final OwnerIdentitySecretRepository secrets;

	private final ObjectProvider<LlmKeyCipher> cipher;

	IdentitySecretController(OwnerDb db, JsonMapper json, OwnerIdentitySecretRepository secrets,
			ObjectProvider<LlmKeyCipher> cipher) {
		this.db = db;
		this.json = json;
		this.secrets = secrets;
		this.cipher = cipher;
	}

	/** A new secret, shown in this answer only. */
	record Created(UUID id, String secret, String secretLast4) {
	}

	@GetMapping
	Map<String, List<Secret>> list(OwnerPrincipal owner) {
		return Map.of("identity_secrets", this.db.as(owner, this.secrets::list));
	}

	@PostMapping
	ResponseEntity<Created> create(OwnerPrincipal owner) {
		return ResponseEntity.status(HttpStatus.CREATED).body(this.db.as(owner, this::insert));
	}

	/**
	 * A new secret replaces this one, which keeps verifying for {@code grace_hours} (default
	 * {@value #DEFAULT_GRACE_HOURS}; 0 retires it at once) so pages signing with it keep working
	 * while the site's server switches.
	 */
	@PostMapping("/{id}/rotate")
	ResponseEntity<Created> rotate(OwnerPrincipal owner, @PathVariable String id,
			@RequestBody(required = false) String body) {
		UUID secretId = Ids.parse(id, WHAT);
		JsonBody request = JsonBody.parseOptional(this.json, body, Set.of("grace_hours"));
		JsonNode grace = request.node().get("grace_hours");
		int hours = DEFAULT_GRACE_HOURS;
		if (grace != null && !grace.isNull()) {
			if (!grace.isIntegralNumber() || grace.asLong() < 0 || grace.asLong() > MAX_GRACE_HOURS) {
				request.error("grace_hours", "must be a whole number from 0 to " + MAX_GRACE_HOURS);
			}
			else {
				hours = grace.asInt();
			}
		}
		request.validate();
		OffsetDateTime retiresAt = OffsetDateTime.now().plus(Duration.ofHours(hours));
		Created created = this.db.as(owner, sql -> {
			if (!this.secrets.retire(sql, secretId, retiresAt)) {
				throw OwnerProblems.notFound(WHAT);
			}
			return insert(sql);
		});
		return ResponseEntity.status(HttpStatus.CREATED).body(created);
	}

	@PostMapping("/{id}/revoke")
	Secret revoke(OwnerPrincipal owner, @PathVariable String id) {
		UUID secretId = Ids.parse(id, WHAT);
		return this.db.as(owner, sql -> {
			this.secrets.revoke(sql, secretId);
			return this.secrets.one(sql, secretId).orElseThrow(() -> OwnerProblems.notFound(WHAT));
		});
	}

	private Created insert(JdbcClient sql) {
		LlmKeyCipher keyCipher = this.cipher.getIfAvailable();
		if (keyCipher == null) {
			throw OwnerProblems.unavailable("Identity secrets need the deployment's master keys (CLARA_MASTER_KEYS)");
		}
		long verifying = this.secrets.list(sql).stream()
			.filter(Secret::verifies)
			.count();
		if (verifying >= MAX_VERIFYING) {
			throw OwnerProblems.limitReached("A workspace has at most " + MAX_VERIFYING
					+ " identity secrets that verify; revoke one first");
		}
		UUID workspace = OwnerDb.workspaceId(sql);
		UUID id = UUID.randomUUID();
		String secret = IdentitySecrets.generate();
		EncryptedSecret encrypted = keyCipher.encrypt(secret, IdentitySecrets.aad(workspace, id));
		String last4 = secret.substring(secret.length() - 4);
		this.secrets.insert(sql, id, workspace, encrypted, last4);
		return new Created(id, secret, last4);
	}

}
