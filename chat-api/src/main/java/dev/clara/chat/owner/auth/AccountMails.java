package dev.clara.chat.owner.auth;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The account mails and the tokens in them. Each token is stored (hashed) in a transaction of its
 * own that commits before the mail is queued, so a mailed link always works; a failed send leaves
 * a token nobody has, which expires. Every mail counts against the address's mail budget, whether
 * or not an account has it.
 */
@Component
class AccountMails {

	/**
	 * The dashboard's confirmation page: it posts the token to {@code POST /api/owner/auth/confirm}
	 * (in the URL's fragment, so the token never reaches a server log or a Referer).
	 */
	static final String CONFIRM_PATH = "/app/#/confirm";

	private final AccountTokenRepository tokens;

	private final AccountMailer mailer;

	private final AuthThrottle throttle;

	private final TransactionTemplate transactions;

	private final AccountProperties properties;

	private final SecureRandom random = new SecureRandom();

	AccountMails(AccountTokenRepository tokens, AccountMailer mailer, AuthThrottle throttle,
			TransactionTemplate transactions, AccountProperties properties) {
		this.tokens = tokens;
		this.mailer = mailer;
		this.throttle = throttle;
		this.transactions = transactions;
		this.properties = properties;
	}

	/** Call outside a transaction: the token commits before the mail is queued. */
	void confirmation(UUID userId, String email) {
		if (!this.mailer.configured() || !this.throttle.mailAllowed(email)) {
			return;
		}
		String token = newToken(userId, AccountTokenRepository.Purpose.CONFIRM, this.properties.confirmationTtl());
		this.mailer.send("confirm", userId, email, "Confirm your e-mail address for Clara", """
				Hello,

				an account for Clara was created with this e-mail address. To confirm it, open this link:

				%s

				The link works once, for %s. If you did not sign up, ignore this mail: without
				confirmation the account cannot be used.
				""".formatted(this.mailer.apiLink(CONFIRM_PATH, token), hours(this.properties.confirmationTtl())));
	}

	/** Someone signed up with an address that has an account already: its owner is told, nothing is made. */
	void signUpWithTakenAddress(UUID userId, String email) {
		if (!this.mailer.configured() || !this.throttle.mailAllowed(email)) {
			return;
		}
		this.mailer.send("signup-taken", userId, email, "Sign-up attempt with your e-mail address", """
				Hello,

				someone tried to create a Clara account with this e-mail address, which already has one.
				Nothing was changed. If it was you, sign in instead; if you forgot your password, ask
				for a new one on the sign-in page. If it was not you, you can ignore this mail.
				""");
	}

	/** Call outside a transaction: the token commits before the mail is queued. */
	void passwordReset(UUID userId, String email) {
		if (!this.mailer.configured() || !this.throttle.mailAllowed(email)) {
			return;
		}
		String token = newToken(userId, AccountTokenRepository.Purpose.RECOVER, this.properties.resetTtl());
		this.mailer.send("reset", userId, email, "Reset your Clara password", """
				Hello,

				a new password was asked for the Clara account of this e-mail address. To choose one,
				open this link:

				%s

				The link works once, for %d minutes, and signs out every session of the account. If you
				did not ask for it, ignore this mail: your password stays as it is.
				""".formatted(this.mailer.resetLink(token), this.properties.resetTtl().toMinutes()));
	}

	private String newToken(UUID userId, AccountTokenRepository.Purpose purpose, java.time.Duration ttl) {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.transactions.executeWithoutResult(
				status -> this.tokens.insert(userId, purpose, AuthService.sha256(token), Instant.now().plus(ttl)));
		return token;
	}

	private static String hours(java.time.Duration ttl) {
		return ttl.toHours() >= 1 ? ttl.toHours() + " hours" : ttl.toMinutes() + " minutes";
	}

}
