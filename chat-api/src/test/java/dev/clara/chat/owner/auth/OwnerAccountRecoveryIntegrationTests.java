package dev.clara.chat.owner.auth;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static dev.clara.chat.owner.auth.AccountServers.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * E-mail confirmation, password reset and change, and the sign-out bound of access tokens
 * ({@link AccountServers}: two instances, GreenMail).
 */
class OwnerAccountRecoveryIntegrationTests {

	@BeforeAll
	static void servers() {
		AccountServers.start();
	}

	// ───────────────────────────── confirmation ─────────────────────────────

	@Test
	void aNewAccountConfirmsItsAddressBeforeItSignsIn() {
		String email = email();
		String password = "a brand new password";
		assertThat(post(first, address(), "/api/owner/auth/signup", "email", email, "password", password).json()
			.get("confirmation_required").asBoolean()).isTrue();

		// a wrong password answers as for an unknown address; only the right one learns of the confirmation
		Reply wrong = signIn(first, address(), email, "not the password");
		Reply unknown = signIn(first, address(), email(), "not the password");
		assertThat(wrong.status()).isEqualTo(401);
		assertThat(wrong.body()).isEqualTo(unknown.body());
		Reply unconfirmed = signIn(second, address(), email, password);
		assertThat(unconfirmed.status()).isEqualTo(403);
		assertThat(unconfirmed.json().get("title").asString()).isEqualTo("Email not confirmed");
		assertThat(unconfirmed.json().has("access_token")).isFalse();

		String mail = mails(email, 1).get(0);
		String link = link(mail);
		// the dashboard's confirmation page, which posts the token from the link's fragment
		assertThat(link).startsWith("/app/#/confirm?token=");
		String token = tokenOf(mail);
		assertThat(post(second, address(), "/api/owner/auth/confirm", "token", token).status()).isEqualTo(200);
		assertThat(signIn(first, address(), email, password).status()).isEqualTo(200);
		// the link works once
		assertThat(post(first, address(), "/api/owner/auth/confirm", "token", token).status()).isEqualTo(400);
	}

	// ───────────────────────────── password reset and change ─────────────────────────────

	@Test
	void aResetTokenWorksOnceAndExpiresAndSignsOutEverySession() {
		String email = email();
		UUID user = account(email, "the forgotten password", COST);
		Reply session = signIn(first, address(), email, "the forgotten password");
		String access = session.json().get("access_token").asString();
		String refresh = session.json().get("refresh_token").asString();
		assertThat(send(second, address(), "GET", "/api/owner/me", access, null).status()).isEqualTo(200);

		Reply asked = post(first, address(), "/api/owner/auth/recover", "email", email);
		Reply askedUnknown = post(second, address(), "/api/owner/auth/recover", "email", email());
		assertThat(asked.status()).isEqualTo(202);
		assertThat(askedUnknown.status()).isEqualTo(202);
		assertThat(asked.body()).isEqualTo(askedUnknown.body());
		String resetMail = mails(email, 1).get(0);
		assertThat(link(resetMail)).as("the dashboard's reset page").startsWith("/app/#/reset-password?token=");
		String token = tokenOf(resetMail);
		assertThat(jdbc.sql("SELECT count(*) FROM owner_account_tokens WHERE token_hash = :t").param("t", token)
			.query(Long.class).single()).as("stored hashed only").isZero();

		assertThat(post(second, address(), "/api/owner/auth/reset", "token", token, "password", "a remembered password")
			.status()).isEqualTo(204);
		assertThat(post(first, address(), "/api/owner/auth/reset", "token", token, "password", "yet another password")
			.status()).as("single use").isEqualTo(400);
		assertThat(signIn(first, address(), email, "the forgotten password").status()).isEqualTo(401);
		assertThat(signIn(second, address(), email, "a remembered password").status()).isEqualTo(200);
		assertThat(post(first, address(), "/api/owner/auth/refresh", "refresh_token", refresh).status()).isEqualTo(401);
		await().atMost(REVOCATION_BOUND.plusSeconds(4))
			.until(() -> send(second, address(), "GET", "/api/owner/me", access, null).status() == 401);

		// an expired token does nothing
		post(first, address(), "/api/owner/auth/recover", "email", email);
		String expiring = tokenOf(mails(email, 2).get(1));
		jdbc.sql("UPDATE owner_account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = :u AND used_at IS NULL")
			.param("u", user).update();
		assertThat(post(first, address(), "/api/owner/auth/reset", "token", expiring, "password", "too late password")
			.status()).isEqualTo(400);
		assertThat(signIn(first, address(), email, "a remembered password").status()).isEqualTo(200);
	}

	@Test
	void changingThePasswordSignsOutTheOtherSessions() {
		String email = email();
		account(email, "the current password", COST);
		Reply here = signIn(first, address(), email, "the current password");
		Reply elsewhere = signIn(second, address(), email, "the current password");
		String access = here.json().get("access_token").asString();
		String otherAccess = elsewhere.json().get("access_token").asString();
		assertThat(send(second, address(), "GET", "/api/owner/me", otherAccess, null).status()).isEqualTo(200);

		Reply wrong = send(first, address(), "POST", "/api/owner/auth/password", access,
				json("current_password", "not the password", "new_password", "the next password"));
		assertThat(wrong.status()).isEqualTo(400);
		assertThat(wrong.json().get("field_errors").has("current_password")).isTrue();
		assertThat(send(first, address(), "POST", "/api/owner/auth/password", null,
				json("current_password", "the current password", "new_password", "the next password")).status())
			.isEqualTo(401);

		assertThat(send(second, address(), "POST", "/api/owner/auth/password", access,
				json("current_password", "the current password", "new_password", "the next password")).status())
			.isEqualTo(204);
		assertThat(signIn(first, address(), email, "the current password").status()).isEqualTo(401);
		assertThat(signIn(first, address(), email, "the next password").status()).isEqualTo(200);
		// this session goes on; the other one is signed out, its access token within the bound
		assertThat(post(first, address(), "/api/owner/auth/refresh", "refresh_token",
				here.json().get("refresh_token").asString()).status()).isEqualTo(200);
		assertThat(post(first, address(), "/api/owner/auth/refresh", "refresh_token",
				elsewhere.json().get("refresh_token").asString()).status()).isEqualTo(401);
		await().atMost(REVOCATION_BOUND.plusSeconds(4))
			.until(() -> send(second, address(), "GET", "/api/owner/me", otherAccess, null).status() == 401);
		assertThat(send(first, address(), "GET", "/api/owner/me", access, null).status()).isEqualTo(200);
	}

	// ───────────────────────────── sign-out ─────────────────────────────

	@Test
	void aSignedOutAccessTokenIsRefusedWithinTheBoundOnEveryInstance() {
		String email = email();
		account(email, "a session password", COST);
		Reply session = signIn(first, address(), email, "a session password");
		String access = session.json().get("access_token").asString();
		// the other instance has seen the session signed in (and may believe it for the bound)
		assertThat(send(second, address(), "GET", "/api/owner/me", access, null).status()).isEqualTo(200);

		assertThat(post(first, address(), "/api/owner/auth/signout", "refresh_token",
				session.json().get("refresh_token").asString()).status()).isEqualTo(204);
		// at once where it was signed out
		assertThat(send(first, address(), "GET", "/api/owner/me", access, null).status()).isEqualTo(401);
		long signedOut = System.nanoTime();
		await().atMost(REVOCATION_BOUND.plusSeconds(4)).pollInterval(Duration.ofMillis(100))
			.until(() -> send(second, address(), "GET", "/api/owner/me", access, null).status() == 401);
		assertThat(Duration.ofNanos(System.nanoTime() - signedOut)).isLessThan(REVOCATION_BOUND.plusSeconds(2));
	}

}
