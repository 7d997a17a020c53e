package dev.clara.chat.ratelimit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Fixed-window hit counters in PostgreSQL, shared by every chat-api replica. */
@Repository
class RateLimitCounters {

	private static final String COUNT = """
			INSERT INTO rate_limit_counters (bucket, window_start, hits)
			VALUES (:ip, :windowStart, 1), (:session, :windowStart, 1), (:workspace, :windowStart, 1)
			ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
			RETURNING bucket, hits
			""";

	private static final String PRUNE = "DELETE FROM rate_limit_counters WHERE window_start < :before";

	private final JdbcClient jdbc;

	RateLimitCounters(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Counts one hit on each of the three buckets in the window; returns their hits so far, in one statement. */
	Map<String, Integer> hit(String ip, String session, String workspace, Instant windowStart) {
		return this.jdbc.sql(COUNT)
			.param("ip", ip)
			.param("session", session)
			.param("workspace", workspace)
			.param("windowStart", Timestamp.from(windowStart))
			.query((row, i) -> Map.entry(row.getString("bucket"), row.getInt("hits")))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	void deleteWindowsBefore(Instant before) {
		this.jdbc.sql(PRUNE).param("before", Timestamp.from(before)).update();
	}

}
