package dev.clara.chat.owner.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Clara's standalone accounts, for deployments without Supabase Auth: e-mail + password (BCrypt,
 * the hash Supabase Auth and pgcrypto use, so users move either way), Supabase-shaped access
 * tokens, and rotating refresh tokens. The accounts' statements ({@link AccountRepository}) run
 * with the service's rights: there is no identity yet. Sign-up, confirmation and passwords are
 * {@link AccountService}'s.
 */
@Service
public class AuthService {

	static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

	private final AccountRepository accounts;

	private final TransactionTemplate transactions;

	private final PasswordCheck passwords;

	private final TokenIssuer issuer;

	private final OwnerProperties properties;

	private final AccountProperties accountProperties;

	private final AuthThrottle throttle;

	private final AccountMails mails;

	private final SessionRevocations revocations;

	private final SecureRandom random = new SecureRandom();

	AuthService(AccountRepository accounts, TransactionTemplate transactions, PasswordCheck passwords,
			TokenIssuer issuer, OwnerProperties properties, AccountProperties accountProperties, AuthThrottle throttle,
			AccountMails mails, SessionRevocations revocations) {
		this.accounts = accounts;
		this.transactions = transactions;
		this.passwords = passwords;
		this.issuer = issuer;
		this.properties = properties;
		this.accountProperties = accountProperties;
		this.throttle = throttle;
		this.mails = mails;
		this.revocations = revocations;
	}

	/** What sign-in and refresh answer (Supabase's token response). */
	public record Session(String accessToken, String tokenType, long expiresIn, long expiresAt, String refreshToken,
			User user) {

		@Override
		public String toString() {
			return "Session[" + this.user + "]";
		}

	}

	public record User(UUID id, String email) {
	}

	/**
	 * Throttled before any BCrypt work (per client address, then per e-mail address); then exactly
	 * the same work and answer for an unknown address and a wrong password. Only after the right
	 * password does an unconfirmed account learn that it must confirm (403), and a new
	 * confirmation mail goes out. A hash of another cost than configured is replaced.
	 */
	public Session signIn(String email, String password, HttpServletRequest request) {
		requireIssuer();
		this.throttle.address(request);
		String normalised = email.toLowerCase(Locale.ROOT);
		this.throttle.checkAccount(normalised);
		Optional<AccountRepository.StoredUser> user = this.accounts.findUser(normalised);
		if (!this.passwords.matches(password, user.map(AccountRepository.StoredUser::hash).orElse(null))) {
			this.throttle.failed(normalised);
			throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Unauthorized", "Invalid e-mail address or password");
		}
		AccountRepository.StoredUser found = user.get();
		if (!found.confirmed() && this.accountProperties.confirmationRequired()) {
			this.mails.confirmation(found.id(), found.email());
			throw new ApiProblem(HttpStatus.FORBIDDEN, "Email not confirmed",
					"Confirm your e-mail address first: a new link was sent to it");
		}
		String upgraded = this.passwords.needsRehash(found.hash()) ? this.passwords.encode(password) : null;
		return this.transactions.execute(status -> {
			if (upgraded != null) {
				this.accounts.setPassword(found.id(), upgraded);
			}
			this.accounts.signedIn(found.id());
			return newSession(found.id(), found.email());
		});
	}

	/**
	 * A new session for an account whose owner another party has just authenticated (an OAuth or
	 * OpenID Connect provider, {@code owner.browser}): no password is involved.
	 */
	public Session signInVerified(UUID userId, String email) {
		requireIssuer();
		return this.transactions.execute(status -> {
			this.accounts.signedIn(userId);
			return newSession(userId, email);
		});
	}

	/**
	 * Exchanges a refresh token for new tokens. Each refresh token works once: presenting a used
	 * one again (a stolen copy, or a replay) revokes the whole session.
	 */
	public Session refresh(String refreshToken, HttpServletRequest request) {
		return refresh(refreshToken, request, Duration.ZERO);
	}

	/**
	 * As {@link #refresh(String, HttpServletRequest)}, but a token used less than {@code reuseGrace}
	 * ago (by a concurrent request of the same browser, which raced this one) is not a replay: it
	 * gets a new access token of the same session and no new refresh token ({@link Session#refreshToken()}
	 * null; the winner of the race carries the new one). Supabase Auth allows the same for 10 s.
	 */
	public Session refresh(String refreshToken, HttpServletRequest request, Duration reuseGrace) {
		requireIssuer();
		this.throttle.address(request);
		double graceSeconds = reuseGrace.toMillis() / 1000.0;
		RefreshOutcome outcome = this.transactions.execute(status -> {
			Optional<AccountRepository.StoredRefresh> stored = this.accounts.lockRefresh(sha256(refreshToken),
					graceSeconds);
			if (stored.isEmpty()) {
				return new RefreshOutcome(null, "The refresh token is unknown");
			}
			AccountRepository.StoredRefresh token = stored.get();
			if (token.revoked()) {
				return new RefreshOutcome(null, "The session was signed out");
			}
			if (token.used() && token.usedWithinGrace() && !token.expired()) {
				return new RefreshOutcome(accessOnly(token.userId(), token.email(), token.sessionId()), null);
			}
			if (token.used()) {
				this.accounts.revokeSession(token.sessionId());
				return new RefreshOutcome(null, "The refresh token was already used; the session is revoked, sign in again");
			}
			if (token.expired()) {
				return new RefreshOutcome(null, "The refresh token has expired");
			}
			this.accounts.markUsed(token.id());
			return new RefreshOutcome(issueTokens(token.userId(), token.email(), token.sessionId()), null);
		});
		if (outcome.session() == null) {
			// the revocation above commits: a 401 here must not roll it back
			throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Unauthorized", outcome.problem());
		}
		return outcome.session();
	}

	/**
	 * Revokes the session the refresh token belongs to; unknown tokens are ignored. The session's
	 * access tokens stop working on this replica at once and on the others within
	 * {@code clara.owner.accounts.revocation-check-cache} ({@link SessionRevocations}).
	 */
	public void signOut(String refreshToken) {
		Optional<UUID> session = this.transactions.execute(status -> {
			Optional<UUID> found = this.accounts.sessionOf(sha256(refreshToken));
			found.ifPresent(this.accounts::revokeSession);
			return found;
		});
		session.ifPresent(this.revocations::revokedHere);
	}

	/**
	 * Signs out a session by its id when no refresh token of it is at hand: one another party
	 * issued (Supabase Auth's, {@code session_id} claim), or a dashboard session whose refresh
	 * cookie was lost. Its access tokens are refused from now on, here at once and on other
	 * replicas within {@code clara.owner.accounts.revocation-check-cache}. The marker, a revoked
	 * refresh-token row nobody holds, lives as long as a refresh token.
	 */
	public void signOutSessionById(UUID sessionId, UUID userId) {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		this.transactions.executeWithoutResult(status -> this.accounts.insertRevokedMarker(sessionId, userId,
				sha256(Base64.getUrlEncoder().encodeToString(bytes)),
				Instant.now().plus(this.properties.jwt().refreshTokenTtl())));
		this.revocations.revokedHere(sessionId);
	}

	private Session accessOnly(UUID userId, String email, UUID sessionId) {
		TokenIssuer.Issued access = this.issuer.issue(userId, email, sessionId);
		long expiresIn = Math.max(0, access.expiresAt().getEpochSecond() - Instant.now().getEpochSecond());
		return new Session(access.token(), "bearer", expiresIn, access.expiresAt().getEpochSecond(), null,
				new User(userId, email));
	}

	private Session newSession(UUID userId, String email) {
		return issueTokens(userId, email, UUID.randomUUID());
	}

	private Session issueTokens(UUID userId, String email, UUID sessionId) {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.accounts.insertRefresh(sessionId, userId, sha256(refresh),
				Instant.now().plus(this.properties.jwt().refreshTokenTtl()));
		TokenIssuer.Issued access = this.issuer.issue(userId, email, sessionId);
		long expiresIn = Math.max(0, access.expiresAt().getEpochSecond() - Instant.now().getEpochSecond());
		return new Session(access.token(), "bearer", expiresIn, access.expiresAt().getEpochSecond(), refresh,
				new User(userId, email));
	}

	void requireIssuer() {
		if (!this.issuer.canIssue()) {
			throw OwnerProblems.unavailable(
					"Standalone sign-in needs CLARA_JWT_SECRET; with Supabase Auth, sign in through Supabase");
		}
	}

	static String sha256(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record RefreshOutcome(Session session, String problem) {
	}

}
