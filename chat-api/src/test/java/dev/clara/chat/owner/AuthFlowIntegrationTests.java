package dev.clara.chat.owner;

import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Standalone sign-up, sign-in, refresh and sign-out. */
@ExtendWith(OutputCaptureExtension.class)
class AuthFlowIntegrationTests extends OwnerIntegrationTest {

	static String email() {
		return "Owner-" + UUID.randomUUID() + "@Example.test";
	}

	/** Signs up (without SMTP no confirmation is needed) and signs in: the session. */
	Reply signUpAndIn(String email, String password) {
		Reply signUp = post(null, "/api/owner/auth/signup", json("email", email, "password", password));
		assertThat(signUp.status()).isEqualTo(202);
		assertThat(signUp.json().has("access_token")).isFalse();
		assertThat(signUp.json().get("confirmation_required").asBoolean()).isFalse();
		return post(null, "/api/owner/auth/signin", json("email", email, "password", password));
	}

	@Test
	void signUpCreatesUserProfileAndWorkspaceAndSignsIn(CapturedOutput output) {
		String email = email();
		String password = "correct horse battery staple";
		Reply signUp = signUpAndIn(email, password);
		assertThat(signUp.status()).isEqualTo(200);
		JsonNode session = signUp.json();
		assertThat(session.get("token_type").asString()).isEqualTo("bearer");
		assertThat(session.get("expires_in").asInt()).isBetween(3500, 3600);
		UUID user = UUID.fromString(session.get("user").get("id").asString());
		assertThat(session.get("user").get("email").asString()).isEqualTo(email.toLowerCase());

		String hash = this.jdbc.sql("SELECT encrypted_password FROM auth.users WHERE id = :id").param("id", user)
			.query(String.class).single();
		assertThat(hash).startsWith("$2a$").doesNotContain(password);
		assertThat(count("SELECT count(*) FROM profiles WHERE id = :ws", user)).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM workspaces WHERE owner_id = :ws", user)).isEqualTo(1);

		// the issued token is a Supabase-shaped JWT the owner API accepts
		String access = session.get("access_token").asString();
		assertThat(get(access, "/api/owner/workspace").status()).isEqualTo(200);

		// signing in, with any letter case of the e-mail
		Reply signIn = post(null, "/api/owner/auth/signin", json("email", email.toUpperCase(), "password", password));
		assertThat(signIn.status()).isEqualTo(200);
		assertThat(this.jdbc.sql("SELECT last_sign_in_at IS NOT NULL FROM auth.users WHERE id = :id").param("id", user)
			.query(Boolean.class).single()).isTrue();

		// wrong password and unknown e-mail: the same 401
		Reply wrong = post(null, "/api/owner/auth/signin", json("email", email, "password", "wrong password!"));
		Reply unknown = post(null, "/api/owner/auth/signin", json("email", email(), "password", password));
		assertThat(wrong.status()).isEqualTo(401);
		assertThat(unknown.status()).isEqualTo(401);
		assertThat(wrong.json().get("detail").asString()).isEqualTo(unknown.json().get("detail").asString());

		// the same e-mail again: answered as a new one, nothing made
		Reply again = post(null, "/api/owner/auth/signup", json("email", email, "password", "another password"));
		assertThat(again.status()).isEqualTo(202);
		assertThat(again.body()).isEqualTo(post(null, "/api/owner/auth/signup", json("email", email(), "password", password)).body());
		assertThat(post(null, "/api/owner/auth/signin", json("email", email, "password", password)).status()).isEqualTo(200);
		assertThat(output.getAll()).doesNotContain(password).doesNotContain(session.get("refresh_token").asString());
	}

	@Test
	void badSignUpsAreRefused() {
		assertThat(post(null, "/api/owner/auth/signup", json("email", "not-an-email", "password", "long enough pw")).status())
			.isEqualTo(400);
		assertThat(post(null, "/api/owner/auth/signup", json("email", email(), "password", "short")).status()).isEqualTo(400);
		assertThat(post(null, "/api/owner/auth/signup", json("email", email(), "password", "é".repeat(40))).status())
			.as("over BCrypt's 72 bytes").isEqualTo(400);
		Reply reply = post(null, "/api/owner/auth/signup", json("email", email()));
		assertThat(reply.json().get("field_errors").has("password")).isTrue();
	}

	@Test
	void refreshTokensRotateAndAReusedOneRevokesTheSession() {
		Reply signUp = signUpAndIn(email(), "a fine password");
		String first = signUp.json().get("refresh_token").asString();

		Reply refreshed = post(null, "/api/owner/auth/refresh", json("refresh_token", first));
		assertThat(refreshed.status()).isEqualTo(200);
		String second = refreshed.json().get("refresh_token").asString();
		assertThat(second).isNotEqualTo(first);
		assertThat(get(refreshed.json().get("access_token").asString(), "/api/owner/me").status()).isEqualTo(200);

		// the first token again: refused, and the whole session with it
		assertThat(post(null, "/api/owner/auth/refresh", json("refresh_token", first)).status()).isEqualTo(401);
		assertThat(post(null, "/api/owner/auth/refresh", json("refresh_token", second)).status()).isEqualTo(401);
		assertThat(post(null, "/api/owner/auth/refresh", json("refresh_token", "made-up")).status()).isEqualTo(401);
	}

	@Test
	void signOutRevokesTheRefreshToken() {
		Reply signUp = signUpAndIn(email(), "a fine password");
		String refresh = signUp.json().get("refresh_token").asString();
		assertThat(post(null, "/api/owner/auth/signout", json("refresh_token", refresh)).status()).isEqualTo(204);
		assertThat(post(null, "/api/owner/auth/refresh", json("refresh_token", refresh)).status()).isEqualTo(401);
	}

	@Test
	void anAccountHashedByPgcryptoLikeTheDemoSeedSignsIn() {
		this.jdbc.sql("CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions").update();
		String email = "seeded-" + UUID.randomUUID() + "@example.test";
		this.jdbc.sql("INSERT INTO auth.users (email, encrypted_password) VALUES (:email, extensions.crypt('clara-demo', extensions.gen_salt('bf')))")
			.param("email", email)
			.update();
		assertThat(post(null, "/api/owner/auth/signin", json("email", email, "password", "clara-demo")).status())
			.isEqualTo(200);
	}

}
