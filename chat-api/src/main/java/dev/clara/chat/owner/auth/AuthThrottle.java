package dev.clara.chat.owner.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.web.AddressBuckets;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.ClientAddress;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Budgets of the standalone account endpoints, in fixed windows counted in PostgreSQL so that
 * replicas share them. Every check here happens before any BCrypt work: a throttled request costs
 * one SQL statement, not a third of a CPU second. Per-account budgets are keyed by the e-mail
 * address whether or not an account has it, so being throttled tells nothing about existence.
 */
@Component
public class AuthThrottle {

	private final ThrottleRepository counters;

	private final AccountProperties.Throttle budgets;

	private final List<String> trustedProxies;

	private final Clock clock;

	private final AtomicLong nextPrune = new AtomicLong();

	AuthThrottle(ThrottleRepository counters, AccountProperties properties, ChatProperties chat) {
		this.counters = counters;
		this.budgets = properties.throttle();
		this.trustedProxies = chat.trustedProxies();
		this.clock = Clock.systemUTC();
	}

	/** Counts the request against its client address; 429 when the address is over its budget. */
	public void address(HttpServletRequest request) {
		String key = AddressBuckets.client(ClientAddress.of(request, this.trustedProxies));
		Duration window = this.budgets.addressWindow();
		Instant now = this.clock.instant();
		Instant start = windowStart(now, window);
		pruneNow(now);
		if (this.counters.hit("address:" + key, start) > this.budgets.perAddress()) {
			throw tooMany(start.plus(window), now, "Too many attempts from this address");
		}
	}

	/** 429 when the e-mail address has used up its failed sign-ins; counts nothing. */
	public void checkAccount(String email) {
		Duration window = this.budgets.accountWindow();
		Instant now = this.clock.instant();
		Instant start = windowStart(now, window);
		if (this.counters.hits(accountBucket(email), start) >= this.budgets.failedSignInsPerAccount()) {
			throw tooMany(start.plus(window), now, "Too many failed sign-ins for this account");
		}
	}

	/** Counts a failed sign-in (or a wrong current password) of the e-mail address. */
	public void failed(String email) {
		this.counters.hit(accountBucket(email), windowStart(this.clock.instant(), this.budgets.accountWindow()));
	}

	/** Counts a mail to the address; false when it is over its budget and the mail is to be skipped. */
	boolean mailAllowed(String email) {
		Instant start = windowStart(this.clock.instant(), this.budgets.accountWindow());
		return this.counters.hit("mail:" + email, start) <= this.budgets.mailsPerAccount();
	}

	private static String accountBucket(String email) {
		return "signin:" + email;
	}

	static Instant windowStart(Instant now, Duration window) {
		long size = window.toMillis();
		return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), size) * size);
	}

	private static ApiProblem tooMany(Instant windowEnd, Instant now, String detail) {
		Duration retryAfter = Duration.between(now, windowEnd);
		return new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "Too many requests", detail + "; try again later",
				List.of(), retryAfter.isNegative() ? Duration.ofSeconds(1) : retryAfter);
	}

	/** At most once a minute per replica: counters of finished windows are of no further use. */
	private void pruneNow(Instant now) {
		long next = this.nextPrune.get();
		if (now.toEpochMilli() >= next && this.nextPrune.compareAndSet(next, now.toEpochMilli() + 60_000)) {
			Duration longest = this.budgets.accountWindow().compareTo(this.budgets.addressWindow()) > 0
					? this.budgets.accountWindow() : this.budgets.addressWindow();
			this.counters.prune(now.minus(longest.multipliedBy(2)));
		}
	}

}
