package dev.clara.chat.owner.auth;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sign-up, e-mail confirmation, password reset and password change of standalone accounts. Every
 * entry is throttled per client address before any BCrypt work. Answers never tell whether an
 * e-mail address has an account: sign-up and reset requests answer the same either way, and mails
 * go out on a thread of their own after commit ({@link AccountMailer}).
 */
@Service
class AccountService {

	/** What sign-up answers, for a new address and a taken one alike. */
	record SignUpAccepted(String message, boolean confirmationRequired) {
	}

	private final AccountRepository accounts;

	private final AccountTokenRepository tokens;

	private final TransactionTemplate transactions;

	private final PasswordCheck passwords;

	private final OwnerProperties properties;

	private final AccountProperties accountProperties;

	private final AuthThrottle throttle;

	private final AccountMails mails;

	private final AuthService auth;

	AccountService(AccountRepository accounts, AccountTokenRepository tokens, TransactionTemplate transactions,
			PasswordCheck passwords, OwnerProperties properties, AccountProperties accountProperties,
			AuthThrottle throttle, AccountMails mails, AuthService auth) {
		this.accounts = accounts;
		this.tokens = tokens;
		this.transactions = transactions;
		this.passwords = passwords;
		this.properties = properties;
		this.accountProperties = accountProperties;
		this.throttle = throttle;
		this.mails = mails;
		this.auth = auth;
	}

	/**
	 * Creates the account, or, when the address has one already, mails its owner a notice and
	 * creates nothing. Either way the same work (one BCrypt hash) and the same answer: 202, sign in
	 * next (after confirming the address, when confirmation is required).
	 */
	SignUpAccepted signUp(String email, String password, HttpServletRequest request) {
		this.auth.requireIssuer();
		if (!this.properties.signupEnabled()) {
			throw new ApiProblem(HttpStatus.FORBIDDEN, "Sign-up disabled", "This deployment does not accept sign-ups");
		}
		this.throttle.address(request);
		String normalised = email.toLowerCase(Locale.ROOT);
		String hash = this.passwords.encode(password);
		boolean confirm = this.accountProperties.confirmationRequired();
		Optional<UUID> created = this.transactions
			.execute(status -> this.accounts.insertUser(normalised, hash, !confirm));
		if (created.isPresent()) {
			if (confirm) {
				this.mails.confirmation(created.get(), normalised);
			}
		}
		else {
			this.accounts.findUser(normalised)
				.ifPresent(existing -> this.mails.signUpWithTakenAddress(existing.id(), existing.email()));
		}
		return new SignUpAccepted(confirm
				? "Check your mailbox: the link in the mail we sent confirms the address, then sign in"
				: "Sign in with the e-mail address and password", confirm);
	}

	/** Confirms the address the token was mailed to; the token works once. */
	void confirm(String token, HttpServletRequest request) {
		this.throttle.address(request);
		boolean done = Boolean.TRUE.equals(this.transactions.execute(status -> {
			Optional<UUID> user = this.tokens.consume(AccountTokenRepository.Purpose.CONFIRM, AuthService.sha256(token));
			user.ifPresent(this.accounts::confirm);
			return user.isPresent();
		}));
		if (!done) {
			throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid token",
					"The confirmation link is unknown, used or expired: sign in to get a new one");
		}
	}

	/** Mails a reset link when the address has an account; the caller never learns whether it has. */
	void recover(String email, HttpServletRequest request) {
		this.throttle.address(request);
		String normalised = email.toLowerCase(Locale.ROOT);
		this.accounts.findUser(normalised).ifPresent(user -> this.mails.passwordReset(user.id(), user.email()));
	}

	/**
	 * Sets the password the reset token allows, uses the token up, confirms the address (the token
	 * came through it) and signs out every session of the account.
	 */
	void reset(String token, String password, HttpServletRequest request) {
		this.throttle.address(request);
		String hash = this.passwords.encode(password);
		boolean done = Boolean.TRUE.equals(this.transactions.execute(status -> {
			Optional<UUID> user = this.tokens.consume(AccountTokenRepository.Purpose.RECOVER, AuthService.sha256(token));
			user.ifPresent(id -> {
				this.accounts.setPassword(id, hash);
				this.accounts.confirm(id);
				this.accounts.revokeSessions(id, null);
			});
			return user.isPresent();
		}));
		if (!done) {
			throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid token",
					"The reset token is unknown, used or expired: ask for a new one");
		}
	}

	/**
	 * Changes the signed-in owner's password after checking the current one (wrong ones count as
	 * failed sign-ins), and signs out every other session of the account.
	 */
	void changePassword(OwnerPrincipal owner, String current, String next, HttpServletRequest request) {
		if (owner.viaAccessToken()) {
			throw new ApiProblem(HttpStatus.FORBIDDEN, "Forbidden",
					"A product API key cannot change the password: sign in with the password");
		}
		this.throttle.address(request);
		AccountRepository.StoredUser user = this.accounts.findUser(owner.userId())
			.filter(found -> PasswordCheck.cost(found.hash()) > 0)
			.orElseThrow(() -> new ApiProblem(HttpStatus.FORBIDDEN, "Forbidden",
					"This account has no Clara password: change it where you sign in"));
		String email = user.email().toLowerCase(Locale.ROOT);
		this.throttle.checkAccount(email);
		if (!this.passwords.matches(current, user.hash())) {
			this.throttle.failed(email);
			throw OwnerProblems.invalid(Map.of("current_password", "is not the account's password"));
		}
		String hash = this.passwords.encode(next);
		UUID session = sessionOf(owner);
		this.transactions.executeWithoutResult(status -> {
			this.accounts.setPassword(user.id(), hash);
			this.accounts.revokeSessions(user.id(), session);
		});
	}

	private static UUID sessionOf(OwnerPrincipal owner) {
		Object claim = owner.claims() == null ? null : owner.claims().get("session_id");
		try {
			return claim == null ? null : UUID.fromString(claim.toString());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
