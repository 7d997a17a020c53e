package dev.clara.chat.owner.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
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

import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Clara's standalone accounts, for deployments without Supabase Auth: e-mail + password (BCrypt,
 * the hash Supabase Auth and pgcrypto use, so users move either way), Supabase-shaped access
 * tokens, and rotating refresh tokens. The accounts' statements ({@link AccountRepository}) run
 * with the service's rights: there is no identity yet.
 */
@Service
public class AuthService {

	static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

	private final AccountRepository accounts;

	private final TransactionTemplate transactions;

	private final BCryptPasswordEncoder passwords;

	private final TokenIssuer issuer;

	private final OwnerProperties properties;

	private final SecureRandom random = new SecureRandom();

	private volatile String dummyHash;

	AuthService(AccountRepository accounts, TransactionTemplate transactions, BCryptPasswordEncoder passwords,
			TokenIssuer issuer, OwnerProperties properties) {
		this.accounts = accounts;
		this.transactions = transactions;
		this.passwords = passwords;
		this.issuer = issuer;
		this.properties = properties;
	}

	/** What sign-up, sign-in and refresh answer (Supabase's token response). */
	public record Session(String accessToken, String tokenType, long expiresIn, long expiresAt, String refreshToken,
			User user) {

		@Override
		public String toString() {
			return "Session[" + this.user + "]";
		}

	}

	public record User(UUID id, String email) {
	}

	public Session signUp(String email, String password) {
		requireIssuer();
		if (!this.properties.signupEnabled()) {
			throw new ApiProblem(HttpStatus.FORBIDDEN, "Sign-up disabled", "This deployment does not accept sign-ups");
		}
		String normalised = email.toLowerCase(Locale.ROOT);
		String hash = this.passwords.encode(password);
		return this.transactions.execute(status -> {
			UUID id = this.accounts.insertUser(normalised, hash)
				.orElseThrow(() -> OwnerProblems.conflict("An account with this e-mail address already exists"));
			return newSession(id, normalised);
		});
	}

	public Session signIn(String email, String password) {
		requireIssuer();
		String normalised = email.toLowerCase(Locale.ROOT);
		Optional<AccountRepository.StoredUser> user = this.accounts.findUser(normalised);
		boolean ok;
		if (user.isEmpty() || user.get().hash() == null || !user.get().hash().startsWith("$2")) {
			// same work as a real check, so the answer's timing does not tell which e-mails exist
			this.passwords.matches(password, dummyHash());
			ok = false;
		}
		else {
			ok = this.passwords.matches(password, user.get().hash());
		}
		if (!ok) {
			throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Unauthorized", "Invalid e-mail address or password");
		}
		AccountRepository.StoredUser found = user.get();
		return this.transactions.execute(status -> {
			this.accounts.signedIn(found.id());
			return newSession(found.id(), found.email());
		});
	}

	/**
	 * Exchanges a refresh token for new tokens. Each refresh token works once: presenting a used
	 * one again (a stolen copy, or a replay) revokes the whole session.
	 */
	public Session refresh(String refreshToken) {
		requireIssuer();
		RefreshOutcome outcome = this.transactions.execute(status -> {
			Optional<AccountRepository.StoredRefresh> stored = this.accounts.lockRefresh(sha256(refreshToken));
			if (stored.isEmpty()) {
				return new RefreshOutcome(null, "The refresh token is unknown");
			}
			AccountRepository.StoredRefresh token = stored.get();
			if (token.revoked()) {
				return new RefreshOutcome(null, "The session was signed out");
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

	/** Revokes the session the refresh token belongs to; unknown tokens are ignored. */
	public void signOut(String refreshToken) {
		this.transactions.executeWithoutResult(
				status -> this.accounts.sessionOf(sha256(refreshToken)).ifPresent(this.accounts::revokeSession));
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

	private void requireIssuer() {
		if (!this.issuer.canIssue()) {
			throw OwnerProblems.unavailable(
					"Standalone sign-in needs CLARA_JWT_SECRET; with Supabase Auth, sign in through Supabase");
		}
	}

	private String dummyHash() {
		String hash = this.dummyHash;
		if (hash == null) {
			hash = this.passwords.encode(UUID.randomUUID().toString());
			this.dummyHash = hash;
		}
		return hash;
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
