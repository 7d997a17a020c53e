package dev.clara.embedding.training;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The trainer's queue, {@code answer_model_requests}: which workspaces need a new model, debounced.
 * Requests go through the database's {@code request_answer_model} (the one rule for asking, also
 * used by the owner-side triggers); a workspace is claimed with a lease, so two trainers never
 * train one workspace at once and a crashed trainer's claim runs out.
 */
@Repository
class TrainingRequests {

	private static final String REQUEST = """
			SELECT count(public.request_answer_model(id)) FROM unnest(CAST(:ids AS uuid[])) AS id
			""";

	private static final String CLAIM_DUE = """
			UPDATE answer_model_requests r SET claimed_until = now() + make_interval(secs => :leaseSeconds)
			WHERE r.workspace_id = (
			  SELECT q.workspace_id FROM answer_model_requests q
			  WHERE (q.claimed_until IS NULL OR q.claimed_until < now())
			    AND (q.last_requested_at <= now() - make_interval(secs => :quietSeconds)
			         OR q.first_requested_at <= now() - make_interval(secs => :maxDelaySeconds))
			  ORDER BY q.first_requested_at
			  LIMIT 1
			  FOR UPDATE SKIP LOCKED)
			RETURNING r.workspace_id, r.last_requested_at
			""";

	/** Done, unless a change came while training: then it waits its turn again, from now. */
	private static final String FINISH = """
			WITH done AS (
			  DELETE FROM answer_model_requests WHERE workspace_id = :workspaceId AND last_requested_at = :requestedAt
			  RETURNING workspace_id)
			UPDATE answer_model_requests SET claimed_until = NULL, first_requested_at = now()
			WHERE workspace_id = :workspaceId AND NOT EXISTS (SELECT 1 FROM done)
			""";

	private static final String RETRY_LATER = """
			UPDATE answer_model_requests SET claimed_until = now() + make_interval(secs => :retrySeconds)
			WHERE workspace_id = :workspaceId
			""";

	/** A claimed workspace and the request time the run answers. */
	record Claim(UUID workspaceId, OffsetDateTime requestedAt) {
	}

	private final JdbcClient jdbc;

	TrainingRequests(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Asks for a new model of each workspace that still exists. */
	void request(Collection<UUID> workspaceIds) {
		if (!workspaceIds.isEmpty()) {
			this.jdbc.sql(REQUEST).param("ids", workspaceIds.toArray(UUID[]::new)).query(Long.class).single();
		}
	}

	Optional<Claim> claimDue(Duration quiet, Duration maxDelay, Duration lease) {
		return this.jdbc.sql(CLAIM_DUE)
			.param("leaseSeconds", seconds(lease))
			.param("quietSeconds", seconds(quiet))
			.param("maxDelaySeconds", seconds(maxDelay))
			.query((row, i) -> new Claim(row.getObject("workspace_id", UUID.class),
					row.getObject("last_requested_at", OffsetDateTime.class)))
			.optional();
	}

	void finish(Claim claim) {
		this.jdbc.sql(FINISH)
			.param("workspaceId", claim.workspaceId())
			.param("requestedAt", claim.requestedAt())
			.update();
	}

	void retryLater(Claim claim, Duration after) {
		this.jdbc.sql(RETRY_LATER).param("workspaceId", claim.workspaceId()).param("retrySeconds", seconds(after)).update();
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

}
