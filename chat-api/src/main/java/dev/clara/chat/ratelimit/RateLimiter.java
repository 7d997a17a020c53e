package dev.clara.chat.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.web.ApiProblem;

import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fixed-window request budgets per client address, per session token and per workspace, counted
 * in PostgreSQL ({@link RateLimitCounters}) so that every chat-api replica draws on the same budget.
 * One statement per turn.
 */
@Component
public class RateLimiter {

	private final RateLimitCounters counters;

	private final ChatProperties.RateLimit limits;

	RateLimiter(RateLimitCounters counters, ChatProperties properties) {
		this.counters = counters;
		this.limits = properties.rateLimit();
	}

	/** Counts this turn; throws a 429 problem with {@code Retry-After} when any budget is spent. */
	public void acquire(String clientAddress, UUID workspaceId, String sessionToken) {
		long windowMillis = this.limits.window().toMillis();
		long now = System.currentTimeMillis();
		Instant windowStart = Instant.ofEpochMilli(now - now % windowMillis);
		String ip = "ip:" + clientAddress;
		String session = "session:" + workspaceId + ":" + sessionToken;
		String workspace = "workspace:" + workspaceId;
		Map<String, Integer> hits = this.counters.hit(ip, session, workspace, windowStart);
		List<String> exceeded = new java.util.ArrayList<>();
		if (hits.getOrDefault(ip, 0) > this.limits.perIp()) {
			exceeded.add("this address");
		}
		if (hits.getOrDefault(session, 0) > this.limits.perSession()) {
			exceeded.add("this conversation");
		}
		if (hits.getOrDefault(workspace, 0) > this.limits.perWorkspace()) {
			exceeded.add("this workspace");
		}
		if (!exceeded.isEmpty()) {
			Duration retryAfter = Duration.ofMillis(windowStart.toEpochMilli() + windowMillis - now);
			throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "Too many messages",
					"Too many messages from " + String.join(", ", exceeded) + "; try again in "
							+ Math.max(1, retryAfter.toSeconds()) + " s",
					List.of(), retryAfter);
		}
	}

	@Scheduled(fixedDelayString = "PT1M")
	void pruneExpiredWindows() {
		this.counters.deleteWindowsBefore(Instant.now().minus(this.limits.window().multipliedBy(2)));
	}

}
