package dev.clara.chat.owner.auth;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The attempt counters of {@code owner_auth_throttle} (V35), shared by every replica. */
@Repository
class ThrottleRepository {

	private static final String HIT = """
			INSERT INTO owner_auth_throttle (bucket, window_start) VALUES (:bucket, :window)
			ON CONFLICT (bucket, window_start) DO UPDATE SET hits = owner_auth_throttle.hits + 1
			RETURNING hits
			""";

	private static final String HITS = """
			SELECT coalesce(max(hits), 0) FROM owner_auth_throttle WHERE bucket = :bucket AND window_start = :window
			""";

	private static final String PRUNE = "DELETE FROM owner_auth_throttle WHERE window_start < :before";

	private final JdbcClient jdbc;

	ThrottleRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Counts one hit and answers the window's count, this one included (one atomic statement). */
	int hit(String bucket, Instant window) {
		return this.jdbc.sql(HIT)
			.param("bucket", bucket)
			.param("window", Timestamp.from(window))
			.query(Integer.class)
			.single();
	}

	int hits(String bucket, Instant window) {
		return this.jdbc.sql(HITS)
			.param("bucket", bucket)
			.param("window", Timestamp.from(window))
			.query(Integer.class)
			.single();
	}

	int prune(Instant before) {
		return this.jdbc.sql(PRUNE).param("before", Timestamp.from(before)).update();
	}

}
