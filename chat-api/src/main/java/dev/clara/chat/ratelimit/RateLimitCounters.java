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

	/**
	 * Counts a turn on the client's, its network's and its session's budgets, and on the
	 * workspace's only when none of those is spent: a client refused for its own excess never spends
	 * what the workspace's other visitors share. Returns, per bucket it counted on, whether it is
	 * now over its limit.
	 */
	private static final String COUNT_TURN = """
			WITH caller AS (
			    INSERT INTO rate_limit_counters (bucket, window_start, hits)
			    VALUES (:client, :windowStart, 1), (:network, :windowStart, 1), (:session, :windowStart, 1)
			    ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
			    RETURNING bucket, hits > CASE bucket WHEN :client THEN :perClient
			                                        WHEN :network THEN :perNetwork
			                                        ELSE :perSession END AS over
			), shared AS (
			    INSERT INTO rate_limit_counters (bucket, window_start, hits)
			    SELECT :workspace, :windowStart, 1
			    WHERE NOT EXISTS (SELECT 1 FROM caller WHERE over)
			    ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
			    RETURNING bucket, hits > :perWorkspace AS over
			)
			SELECT bucket, over FROM caller
			UNION ALL
			SELECT bucket, over FROM shared
			""";

	private static final String COUNT_READ = """
			INSERT INTO rate_limit_counters (bucket, window_start, hits)
			VALUES (:bucket, :windowStart, 1)
			ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
			RETURNING hits > :limit
			""";

	private static final String PRUNE = "DELETE FROM rate_limit_counters WHERE window_start < :before";

	private final JdbcClient jdbc;

	RateLimitCounters(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The buckets of one chat turn and their limits. */
	record Turn(String client, int perClient, String network, int perNetwork, String session, int perSession,
			String workspace, int perWorkspace) {
	}

	/** Counts one turn in one statement; returns, per bucket counted on, whether it is over its limit. */
	Map<String, Boolean> countTurn(Turn turn, Instant windowStart) {
		return this.jdbc.sql(COUNT_TURN)
			.param("client", turn.client())
			.param("perClient", turn.perClient())
			.param("network", turn.network())
			.param("perNetwork", turn.perNetwork())
			.param("session", turn.session())
			.param("perSession", turn.perSession())
			.param("workspace", turn.workspace())
			.param("perWorkspace", turn.perWorkspace())
			.param("windowStart", Timestamp.from(windowStart))
			.query((row, i) -> Map.entry(row.getString("bucket"), row.getBoolean("over")))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/** Counts one read on a bucket; whether it is now over the limit. */
	boolean countRead(String bucket, int limit, Instant windowStart) {
		return this.jdbc.sql(COUNT_READ)
			.param("bucket", bucket)
			.param("limit", limit)
			.param("windowStart", Timestamp.from(windowStart))
			.query(Boolean.class)
			.single();
	}

	void deleteWindowsBefore(Instant before) {
		this.jdbc.sql(PRUNE).param("before", Timestamp.from(before)).update();
	}

}
