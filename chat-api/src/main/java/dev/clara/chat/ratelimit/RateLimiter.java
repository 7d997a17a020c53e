package dev.clara.chat.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.config.ChatProperties;
import dev.clara.chat.web.AddressBuckets;
import dev.clara.chat.web.ApiProblem;

import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Fixed-window budgets of the public API, counted in PostgreSQL ({@link RateLimitCounters}) so
 * that every chat-api replica draws on the same budget; one statement per request.
 *
 * <p>A chat turn draws on its client's budget (an IPv4 address or an IPv6 /64), its network's (an
 * IPv4 /24 or IPv6 /48), its session's and, only when all three allow it, its workspace's. The
 * workspace budget caps what a tenant's chat can cost; since workspace ids are public, a client
 * over its own budget must not be able to spend it for everyone else. Reads (history, widget
 * settings, public assets) have a budget per client of their own, and so have ratings of answers.
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
		Window window = Window.now(this.limits.window());
		String client = "ip:" + AddressBuckets.client(clientAddress);
		String network = "net:" + AddressBuckets.network(clientAddress);
		String session = "session:" + workspaceId + ":" + sessionToken;
		String workspace = "workspace:" + workspaceId;
		Map<String, Boolean> over = this.counters.countTurn(new RateLimitCounters.Turn(client, this.limits.perIp(),
				network, this.limits.perNetwork(), session, this.limits.perSession(), workspace,
				this.limits.perWorkspace()), window.start());
		List<String> exceeded = new ArrayList<>();
		if (over.getOrDefault(client, false) || over.getOrDefault(network, false)) {
			exceeded.add("this address");
		}
		if (over.getOrDefault(session, false)) {
			exceeded.add("this conversation");
		}
		if (over.getOrDefault(workspace, false)) {
			exceeded.add("this workspace");
		}
		if (!exceeded.isEmpty()) {
			throw tooMany("Too many messages", "Too many messages from " + String.join(", ", exceeded), window);
		}
	}

	/** Counts a public read by this client; throws a 429 problem when its read budget is spent. */
	public void acquireRead(String clientAddress) {
		Window window = Window.now(this.limits.window());
		if (this.counters.countRead("read:" + AddressBuckets.client(clientAddress), this.limits.readsPerIp(),
				window.start())) {
			throw tooMany("Too many requests", "Too many requests from this address", window);
		}
	}

	/**
	 * Counts a rating of an answer by this client; throws a 429 problem when its budget is spent. A
	 * rating writes a row and an event but costs no LLM call, so it has a bucket of its own, as large
	 * as the client's turn budget: rating answers never uses up the visitor's messages, and a client
	 * cannot write more events by flipping ratings than by chatting.
	 */
	public void acquireFeedback(String clientAddress) {
		Window window = Window.now(this.limits.window());
		if (this.counters.countRead("feedback:" + AddressBuckets.client(clientAddress), this.limits.perIp(),
				window.start())) {
			throw tooMany("Too many ratings", "Too many ratings from this address", window);
		}
	}

	private static ApiProblem tooMany(String title, String detail, Window window) {
		Duration retryAfter = window.remaining();
		return new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, title,
				detail + "; try again in " + Math.max(1, retryAfter.toSeconds()) + " s", List.of(), retryAfter);
	}

	/** The fixed window a request falls in. */
	private record Window(Instant start, Instant end) {

		static Window now(Duration length) {
			long millis = length.toMillis();
			long now = System.currentTimeMillis();
			Instant start = Instant.ofEpochMilli(now - now % millis);
			return new Window(start, start.plusMillis(millis));
		}

		Duration remaining() {
			return Duration.between(Instant.now(), this.end);
		}

	}

	@Scheduled(fixedDelayString = "PT1M")
	void pruneExpiredWindows() {
		this.counters.deleteWindowsBefore(Instant.now().minus(this.limits.window().multipliedBy(2)));
	}

}
