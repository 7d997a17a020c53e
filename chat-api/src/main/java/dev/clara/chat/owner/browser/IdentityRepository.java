package dev.clara.chat.owner.browser;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Outside identities linked to standalone accounts ({@code owner_identities}, V41) and the
 * accounts they lead to. The service's own rights: the sign-in has no identity yet.
 */
@Repository
class IdentityRepository {

	private static final String LINKED = """
			SELECT u.id, u.email FROM owner_identities i JOIN auth.users u ON u.id = i.user_id
			WHERE i.issuer = :issuer AND i.subject = :subject AND NOT u.is_anonymous
			""";

	private static final String TOUCH = """
			UPDATE owner_identities SET last_sign_in_at = now() WHERE issuer = :issuer AND subject = :subject
			""";

	private static final String ACCOUNT_BY_EMAIL = """
			SELECT id, email, email_confirmed_at IS NOT NULL AS confirmed FROM auth.users
			WHERE lower(email) = :email AND NOT is_anonymous
			FOR UPDATE
			""";

	// an unconfirmed account may have been made by someone who only typed the address: the
	// password they chose stops working, and so does any session of it
	private static final String TAKE_OVER_UNCONFIRMED = """
			UPDATE auth.users SET encrypted_password = NULL, email_confirmed_at = now(), updated_at = now() WHERE id = :id
			""";

	private static final String REVOKE_SESSIONS = """
			UPDATE owner_refresh_tokens SET revoked_at = now() WHERE user_id = :id AND revoked_at IS NULL
			""";

	private static final String CREATE_ACCOUNT = """
			INSERT INTO auth.users (email, email_confirmed_at, raw_app_meta_data)
			VALUES (:email, now(), jsonb_build_object('provider', :provider, 'providers', jsonb_build_array(:provider)))
			ON CONFLICT (email) DO NOTHING
			RETURNING id
			""";

	private static final String LINK = """
			INSERT INTO owner_identities (user_id, provider, issuer, subject, email, last_sign_in_at)
			VALUES (:user, :provider, :issuer, :subject, :email, now())
			ON CONFLICT (issuer, subject) DO NOTHING
			""";

	record Account(UUID id, String email, boolean confirmed) {
	}

	private final JdbcClient jdbc;

	IdentityRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Account> linked(String issuer, String subject) {
		return this.jdbc.sql(LINKED)
			.param("issuer", issuer)
			.param("subject", subject)
			.query((row, i) -> new Account(row.getObject("id", UUID.class), row.getString("email"), true))
			.optional();
	}

	void touch(String issuer, String subject) {
		this.jdbc.sql(TOUCH).param("issuer", issuer).param("subject", subject).update();
	}

	/** @param email lower case; the row is locked until the transaction ends */
	Optional<Account> accountByEmail(String email) {
		return this.jdbc.sql(ACCOUNT_BY_EMAIL)
			.param("email", email)
			.query((row, i) -> new Account(row.getObject("id", UUID.class), row.getString("email"),
					row.getBoolean("confirmed")))
			.optional();
	}

	void takeOverUnconfirmed(UUID account) {
		this.jdbc.sql(TAKE_OVER_UNCONFIRMED).param("id", account).update();
		this.jdbc.sql(REVOKE_SESSIONS).param("id", account).update();
	}

	/** A new confirmed account without a password (the database's trigger adds its workspace); empty if the address is taken. */
	Optional<UUID> createAccount(String email, String provider) {
		return this.jdbc.sql(CREATE_ACCOUNT).param("email", email).param("provider", provider).query(UUID.class)
			.optional();
	}

	/** False when the identity was linked meanwhile (by a concurrent sign-in). */
	boolean link(UUID account, String provider, String issuer, String subject, String email) {
		return this.jdbc.sql(LINK)
			.param("user", account)
			.param("provider", provider)
			.param("issuer", issuer)
			.param("subject", subject)
			.param("email", email)
			.update() == 1;
	}

}
