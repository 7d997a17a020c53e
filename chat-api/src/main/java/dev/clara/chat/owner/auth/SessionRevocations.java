package dev.clara.chat.owner.auth;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Whether an access token's session ({@code session_id} claim) was signed out. Access tokens are
 * self-contained JWTs, so without this check one would work until its {@code exp} (an hour) after
 * sign-out. A session found signed in is believed for {@code revocationCheckCache} (15 s by
 * default) before the database is asked again: that is the longest a signed-out access token keeps
 * working on another replica; on the replica that signed it out it stops at once. Sessions of
 * tokens Clara did not issue (Supabase Auth's) are never in {@code owner_refresh_tokens}, so they
 * are never refused here.
 */
@Component
class SessionRevocations {

	/** Bounds memory; when exceeded the cache starts over (a few more queries, never a wrong answer). */
	private static final int MAX_ENTRIES = 10_000;

	private final AccountRepository accounts;

	private final long ttlNanos;

	private final Map<UUID, Checked> cache = new ConcurrentHashMap<>();

	SessionRevocations(AccountRepository accounts, AccountProperties properties) {
		this.accounts = accounts;
		this.ttlNanos = properties.revocationCheckCache().toNanos();
	}

	private record Checked(boolean revoked, long at) {
	}

	boolean revoked(UUID sessionId) {
		long now = System.nanoTime();
		Checked checked = this.cache.get(sessionId);
		if (checked != null && (checked.revoked() || now - checked.at() < this.ttlNanos)) {
			return checked.revoked();
		}
		boolean revoked = this.accounts.sessionRevoked(sessionId);
		if (this.cache.size() >= MAX_ENTRIES) {
			this.cache.clear();
		}
		this.cache.put(sessionId, new Checked(revoked, now));
		return revoked;
	}

	/** This replica refuses the session's access tokens at once. */
	void revokedHere(UUID sessionId) {
		this.cache.put(sessionId, new Checked(true, System.nanoTime()));
	}

}
