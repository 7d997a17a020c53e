package dev.clara.chat.owner;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class AccessTokensIntegrationTests extends OwnerIntegrationTest {

	@Test
	void anApiKeyIsShownOnceWorksAsBearerAndStopsWhenRevoked(CapturedOutput output) {
		Owner owner = owner();
		Reply created = post(owner.token(), "/api/owner/access-tokens", json("name", "Nightly sync"));
		assertThat(created.status()).isEqualTo(201);
		String secret = created.json().get("token").asString();
		String id = created.json().get("id").asString();
		assertThat(secret).startsWith("clara_").hasSize(6 + 43);
		assertThat(created.json().get("prefix").asString()).isEqualTo(secret.substring(0, 12));

		// only a hash is stored, and the list never shows the secret
		assertThat(count("SELECT count(*) FROM access_tokens WHERE workspace_id = :ws AND key_hash <> '" + secret + "'",
				owner.workspaceId())).isEqualTo(1);
		Reply list = get(owner.token(), "/api/owner/access-tokens");
		assertThat(list.body()).doesNotContain(secret);
		assertThat(list.json().get(0).get("last_used_at").isNull()).isTrue();

		// the key acts as the owner
		Reply me = get(secret, "/api/owner/me");
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.json().get("id").asString()).isEqualTo(owner.userId().toString());
		assertThat(me.json().get("authenticated_with").asString()).isEqualTo("access_token");
		Reply pair = post(secret, "/api/owner/qa-pairs", json("question", "Made by a script?", "answer", "Yes."));
		assertThat(pair.status()).isEqualTo(201);
		JsonNode listed = get(owner.token(), "/api/owner/access-tokens").json().get(0);
		assertThat(listed.get("last_used_at").isNull()).isFalse();

		// a key cannot mint more keys
		assertThat(post(secret, "/api/owner/access-tokens", json("name", "Escalation")).status()).isEqualTo(403);

		assertThat(delete(owner.token(), "/api/owner/access-tokens/" + id).status()).isEqualTo(204);
		Reply revoked = get(secret, "/api/owner/me");
		assertThat(revoked.status()).isEqualTo(401);
		assertThat(get(owner.token(), "/api/owner/access-tokens").json().get(0).get("revoked_at").isNull()).isFalse();
		assertThat(delete(owner.token(), "/api/owner/access-tokens/" + id).status()).as("revoking twice").isEqualTo(204);

		assertThat(output.getAll()).doesNotContain(secret);
	}

	@Test
	void aKeyOfADeletedOwnerStopsWorking() {
		Owner owner = owner();
		String secret = post(owner.token(), "/api/owner/access-tokens", json("name", "x")).json().get("token").asString();
		assertThat(get(secret, "/api/owner/workspace").status()).isEqualTo(200);
		this.jdbc.sql("DELETE FROM auth.users WHERE id = :id").param("id", owner.userId()).update();
		assertThat(get(secret, "/api/owner/workspace").status()).isEqualTo(401);
	}

}
