package dev.clara.chat.owner.keys;

import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiTestConfiguration;
import dev.clara.chat.owner.OwnerIntegrationTest;
import dev.clara.shared.crypto.EncryptedSecret;
import dev.clara.shared.crypto.LlmKeyCipher;
import dev.clara.shared.crypto.MasterKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LLM keys through the owner API: only {@code key_last4} ever leaves the server, nothing logs or
 * publishes the key or its ciphertext, a flipped bit fails cleanly, and rotation moves rows to
 * the current master key.
 */
@ExtendWith(OutputCaptureExtension.class)
class LlmKeysIntegrationTests extends OwnerIntegrationTest {

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	LlmKeyRotation.IdentitySecretRows identitySecretRows;

	static String rawKey() {
		return "sk-proj-" + UUID.randomUUID().toString().replace("-", "") + "Zq9X";
	}

	String create(Owner owner, String raw, String label) {
		Reply created = post(owner.token(), "/api/owner/llm-keys",
				json("provider", "openai", "model", "gpt-4o-mini", "api_key", raw, "label", label));
		assertThat(created.status()).isEqualTo(201);
		return created.json().get("id").asString();
	}

	String stored(String id) {
		return this.jdbc.sql("SELECT encrypted_key FROM api_keys WHERE id = :id")
			.param("id", UUID.fromString(id))
			.query(String.class)
			.single();
	}

	@Test
	void keysLeaveTheServerAsTheirLastFourCharactersOnly(CapturedOutput output) {
		Owner owner = owner();
		String raw = rawKey();
		List<String> bodies = new java.util.ArrayList<>();

		Reply created = post(owner.token(), "/api/owner/llm-keys",
				json("provider", "openai", "model", "gpt-4o-mini", "api_key", raw, "label", "Production"));
		bodies.add(created.body());
		assertThat(created.status()).isEqualTo(201);
		JsonNode key = created.json();
		String id = key.get("id").asString();
		assertThat(key.get("key_last4").asString()).isEqualTo("Zq9X");
		assertThat(key.get("is_default").asBoolean()).as("the first key becomes the default").isTrue();
		assertThat(key.has("encrypted_key")).isFalse();
		assertThat(key.has("api_key")).isFalse();
		String ciphertext = stored(id);
		assertThat(ciphertext).matches("[0-9a-f]{24}:[0-9a-f]{32}:[0-9a-f]+");
		// the row decrypts with the shared cipher and the row's associated data
		assertThat(this.cipher.decrypt("test-1", ciphertext, LlmKeyCipher.aad(owner.workspaceId(), UUID.fromString(id))))
			.isEqualTo(raw);

		String second = create(owner, rawKey(), "Backup");
		Reply list = get(owner.token(), "/api/owner/llm-keys");
		bodies.add(list.body());
		assertThat(list.json()).hasSize(2);
		assertThat(list.json().get(1).get("is_default").asBoolean()).isFalse();

		Reply makeDefault = post(owner.token(), "/api/owner/llm-keys/" + second + "/default", null);
		bodies.add(makeDefault.body());
		assertThat(makeDefault.json().get("is_default").asBoolean()).isTrue();
		assertThat(get(owner.token(), "/api/owner/llm-keys").json().get(0).get("is_default").asBoolean()).isFalse();

		// bad requests that carry the key: the problem never repeats it
		Reply badProvider = post(owner.token(), "/api/owner/llm-keys",
				json("provider", "mistral", "model", "x", "api_key", raw));
		Reply withSpace = post(owner.token(), "/api/owner/llm-keys",
				json("provider", "openai", "model", "gpt-4o", "api_key", raw + " trailing"));
		Reply unknownField = post(owner.token(), "/api/owner/llm-keys",
				json("provider", "openai", "model", "gpt-4o", "api_key", raw, raw, "x"));
		Reply brokenJson = post(owner.token(), "/api/owner/llm-keys", "{\"api_key\": \"" + raw + "\"");
		for (Reply bad : List.of(badProvider, withSpace, unknownField, brokenJson)) {
			assertThat(bad.status()).isEqualTo(400);
			assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
			bodies.add(bad.body());
		}
		assertThat(badProvider.json().get("field_errors").get("provider").asString()).isEqualTo("must be openai or anthropic");

		// a chat turn uses the key (the provider receives it, and only the provider)
		addPairAndChat(owner);

		Reply deactivated = post(owner.token(), "/api/owner/llm-keys/" + second + "/deactivate", null);
		bodies.add(deactivated.body());
		assertThat(deactivated.json().get("is_active").asBoolean()).isFalse();
		assertThat(deactivated.json().get("is_default").asBoolean()).isFalse();
		Reply inactiveDefault = post(owner.token(), "/api/owner/llm-keys/" + second + "/default", null);
		assertThat(inactiveDefault.status()).isEqualTo(409);
		assertThat(delete(owner.token(), "/api/owner/llm-keys/" + second).status()).isEqualTo(204);
		assertThat(delete(owner.token(), "/api/owner/llm-keys/" + second).status()).isEqualTo(404);

		for (String body : bodies) {
			assertThat(body).doesNotContain(raw).doesNotContain(ciphertext).doesNotContain(ciphertext.split(":")[2]);
		}
		assertThat(output.getAll()).doesNotContain(raw).doesNotContain(ciphertext.split(":")[2]);
		List<String> events = this.jdbc.sql("SELECT payload::text FROM outbox_events WHERE workspace_id = :ws")
			.param("ws", owner.workspaceId())
			.query(String.class)
			.list();
		assertThat(events).isNotEmpty().allSatisfy(event -> assertThat(event).doesNotContain(raw)
			.doesNotContain(ciphertext.split(":")[2]));
	}

	private void addPairAndChat(Owner owner) {
		this.workspaces.pair(owner.workspaceId(), "How much does the Pro plan cost?", "49 dollars a month.", "pricing");
		Reply chat = this.http.chat(owner.workspaceId(), dev.clara.chat.ChatApiHttp.token(), "How much does the Pro plan cost?");
		assertThat(chat.status()).isEqualTo(200);
	}

	@Test
	void aFlippedBitFailsCleanly(CapturedOutput output) {
		Owner owner = owner();
		String raw = rawKey();
		String id = create(owner, raw, null);
		String original = stored(id);
		String[] parts = original.split(":");
		byte[] ciphertext = HexFormat.of().parseHex(parts[2]);
		ciphertext[0] ^= 0x01;
		String flipped = parts[0] + ":" + parts[1] + ":" + HexFormat.of().formatHex(ciphertext);
		this.jdbc.sql("UPDATE api_keys SET encrypted_key = :value, key_id = 'old-key' WHERE id = :id")
			.param("value", flipped)
			.param("id", UUID.fromString(id))
			.update();

		// a chat turn does not use the broken key and still answers (extractive), naming only the row
		this.workspaces.pair(owner.workspaceId(), "Do you offer refunds?", "Yes, within 30 days.", "pricing");
		this.jdbc.sql("UPDATE api_keys SET key_id = 'test-1' WHERE id = :id").param("id", UUID.fromString(id)).update();
		Reply chat = this.http.chat(owner.workspaceId(), dev.clara.chat.ChatApiHttp.token(), "Do you offer refunds?");
		assertThat(chat.status()).isEqualTo(200);
		assertThat(llm.completions()).isZero();
		assertThat(output.getAll()).contains("LLM key row " + id + " of workspace " + owner.workspaceId() + " could not be decrypted");

		// rotation with the old key listed: the row is reported by id and reason, and left as it is
		this.jdbc.sql("UPDATE api_keys SET key_id = 'old-key' WHERE id = :id").param("id", UUID.fromString(id)).update();
		LlmKeyRotation.Result result = rotation(twoKeys()).reencryptAll();
		assertThat(result.failed()).contains(new LlmKeyRotation.Failure(UUID.fromString(id), "AUTHENTICATION_FAILED"));
		assertThat(stored(id)).isEqualTo(flipped);
		assertThat(output.getAll()).doesNotContain(raw).doesNotContain(parts[2]).doesNotContain(HexFormat.of().formatHex(ciphertext));
		// the owner still lists it (key_last4 only)
		assertThat(get(owner.token(), "/api/owner/llm-keys").json().get(0).get("key_last4").asString()).isEqualTo("Zq9X");
		this.jdbc.sql("DELETE FROM api_keys WHERE id = :id").param("id", UUID.fromString(id)).update();
	}

	static final String OLD_MASTER_KEY = MasterKeys.generateKey();

	/** The deployment after a rotation: old-key still listed, test-1 (the service's key) current. */
	static LlmKeyCipher twoKeys() {
		return new LlmKeyCipher(MasterKeys.parse("old-key:" + OLD_MASTER_KEY + ",test-1:" + ChatApiTestConfiguration.MASTER_KEY,
				"test-1"));
	}

	LlmKeyRotation rotation(LlmKeyCipher cipher) {
		return new LlmKeyRotation(new LlmKeyRepository(this.jdbc), this.transactions, provider(cipher),
				this.identitySecretRows);
	}

	static ObjectProvider<LlmKeyCipher> provider(LlmKeyCipher cipher) {
		return new ObjectProvider<>() {
			@Override
			public LlmKeyCipher getObject() {
				return cipher;
			}

			@Override
			public LlmKeyCipher getObject(Object... args) {
				return cipher;
			}

			@Override
			public LlmKeyCipher getIfAvailable() {
				return cipher;
			}

			@Override
			public LlmKeyCipher getIfUnique() {
				return cipher;
			}
		};
	}

	@Test
	void rotationAlsoMovesIdentitySecretsAndTheyStillVerify() {
		Owner owner = owner();
		this.workspaces.saasKnowledgeBase(owner.workspaceId());
		UUID id = UUID.randomUUID();
		String secret = dev.clara.chat.identity.IdentitySecrets.generate();
		LlmKeyCipher old = new LlmKeyCipher(MasterKeys.parse("old-key:" + OLD_MASTER_KEY, "old-key"));
		EncryptedSecret encrypted = old.encrypt(secret, dev.clara.chat.identity.IdentitySecrets.aad(owner.workspaceId(), id));
		this.jdbc.sql("""
				INSERT INTO identity_secrets (id, workspace_id, key_id, encrypted_secret, secret_last4)
				VALUES (:id, :ws, 'old-key', :value, 'abcd')
				""").param("id", id).param("ws", owner.workspaceId()).param("value", encrypted.value()).update();

		LlmKeyRotation.Result result = rotation(twoKeys()).reencryptAll();

		assertThat(result.identitySecrets().failed()).extracting(LlmKeyRotation.Failure::id).doesNotContain(id);
		assertThat(this.jdbc.sql("SELECT key_id FROM identity_secrets WHERE id = :id").param("id", id).query(String.class).single())
			.isEqualTo("test-1");
		// the service's own cipher (test-1 only) verifies the user with the moved secret
		var user = dev.clara.chat.SignedInVisitors.user("u-1", dev.clara.chat.SignedInVisitors.hmac(secret, "u-1"));
		assertThat(new dev.clara.chat.SignedInVisitors(this.http)
			.chat(owner.workspaceId(), dev.clara.chat.ChatApiHttp.token(), "Can I get a refund?", user)
			.status()).isEqualTo(200);
	}

	@Test
	void rotationMovesRowsOfTheOldMasterKeyToTheCurrentOne() {
		Owner owner = owner();
		String raw = rawKey();
		UUID id = UUID.randomUUID();
		LlmKeyCipher old = new LlmKeyCipher(MasterKeys.parse("old-key:" + OLD_MASTER_KEY, "old-key"));
		EncryptedSecret secret = old.encrypt(raw, LlmKeyCipher.aad(owner.workspaceId(), id));
		this.jdbc.sql("""
				INSERT INTO api_keys (id, workspace_id, provider, model, key_id, encrypted_key, key_last4, is_default)
				VALUES (:id, :ws, 'openai', 'gpt-4o-mini', 'old-key', :value, 'Zq9X', true)
				""").param("id", id).param("ws", owner.workspaceId()).param("value", secret.value()).update();
		this.workspaces.pair(owner.workspaceId(), "How much does the Pro plan cost?", "49 dollars a month.", "pricing");

		LlmKeyRotation.Result result = rotation(twoKeys()).reencryptAll();
		assertThat(result.currentKeyId()).isEqualTo("test-1");
		assertThat(result.failed()).extracting(LlmKeyRotation.Failure::id).doesNotContain(id);
		String moved = stored(id.toString());
		assertThat(moved).isNotEqualTo(secret.value());
		assertThat(this.jdbc.sql("SELECT key_id FROM api_keys WHERE id = :id").param("id", id).query(String.class).single())
			.isEqualTo("test-1");
		// the service (which knows only test-1) now decrypts it and the provider receives it
		Reply chat = this.http.chat(owner.workspaceId(), dev.clara.chat.ChatApiHttp.token(), "How much does the Pro plan cost?");
		assertThat(chat.status()).isEqualTo(200);
		assertThat(llm.received()).anySatisfy(request -> assertThat(request.authorization()).isEqualTo("Bearer " + raw));
		// a second run finds nothing of this row to move
		assertThat(rotation(twoKeys()).reencryptAll().failed()).extracting(LlmKeyRotation.Failure::id).doesNotContain(id);
	}

	@Test
	void theAdminEndpointTakesServiceRoleTokensOnly() {
		Owner owner = owner();
		Reply asOwner = post(owner.token(), "/api/admin/llm-keys/reencrypt", null);
		assertThat(asOwner.status()).isEqualTo(403);
		assertThat(post(null, "/api/admin/llm-keys/reencrypt", null).status()).isEqualTo(401);
		String serviceRole = jwt(java.util.Map.of("role", "service_role", "iss", "supabase", "exp",
				java.time.Instant.now().plusSeconds(600).getEpochSecond()));
		Reply asService = post(serviceRole, "/api/admin/llm-keys/reencrypt", null);
		assertThat(asService.status()).isEqualTo(200);
		assertThat(asService.json().get("current_key_id").asString()).isEqualTo("test-1");
	}

	@Test
	void theOwnersRoleCannotReadCiphertextsEvenWithRawSql() {
		Owner owner = owner();
		create(owner, rawKey(), null);
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> this.ownerDb.as(owner.principal(),
				(JdbcClient sql) -> sql.sql("SELECT encrypted_key FROM api_keys").query(String.class).list()))
			.rootCause()
			.hasMessageContaining("permission denied");
	}

}
