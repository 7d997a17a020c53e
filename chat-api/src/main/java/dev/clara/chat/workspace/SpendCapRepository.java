package dev.clara.chat.workspace;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.SpendCapReached;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Announces, once per workspace and UTC month, that the recorded tokens reached the monthly token
 * budget: a {@code spend_cap_events} row and a {@code SpendCapReached} outbox row, in the caller's
 * transaction (the one that records the turn's usage). The row's primary key decides: of two
 * replicas (or turns) that find the budget reached, only the insert that returns a row writes the
 * event, and the other waits for it and writes nothing.
 *
 * <p>The month's sum is read inside the transaction, so it includes the usage just inserted and
 * whatever other turns and the embedding workers have committed. Usage the workers record does not
 * announce anything by itself: the workspace's next turn finds the budget reached and announces
 * it. Two turns that cross the budget together without seeing each other's uncommitted usage leave
 * it to the next turn too.
 */
@Repository
public class SpendCapRepository {

	/** The aggregate of the event in the outbox: the workspace whose budget it is. */
	private static final String WORKSPACE = "workspace";

	/** The budget as the database holds it now (an owner may have changed it during the turn). */
	private static final String CLAIM = """
			INSERT INTO spend_cap_events (workspace_id, month, budget, tokens)
			SELECT w.id, m.start::date, b.budget, s.tokens
			FROM workspaces w
			CROSS JOIN LATERAL (SELECT date_trunc('month', now() AT TIME ZONE 'UTC') AS start) m
			CROSS JOIN LATERAL (SELECT (w.settings ->> 'monthly_token_budget')::numeric::bigint AS budget) b
			CROSS JOIN LATERAL (SELECT COALESCE(sum(u.total_tokens), 0) AS tokens FROM api_usage u
			                    WHERE u.workspace_id = w.id AND u.created_at >= m.start AT TIME ZONE 'UTC') s
			WHERE w.id = :workspaceId AND jsonb_typeof(w.settings -> 'monthly_token_budget') = 'number'
			  AND s.tokens >= b.budget
			ON CONFLICT (workspace_id, month) DO NOTHING
			RETURNING to_char(month, 'YYYY-MM') AS month, budget, tokens, reached_at
			""";

	private final JdbcClient jdbc;

	private final OutboxWriter outbox;

	SpendCapRepository(JdbcClient jdbc, OutboxWriter outbox) {
		this.jdbc = jdbc;
		this.outbox = outbox;
	}

	/**
	 * In the caller's transaction, after its usage rows: announces the cap if the month's tokens
	 * have reached the budget and nobody announced it this month. {@code budget} is what the turn
	 * read when it started: below the budget with this turn's tokens added, nothing is asked of the
	 * database. Returns whether this call wrote the event.
	 */
	public boolean announceIfReached(UUID workspaceId, TokenBudget budget, long addedTokens) {
		if (!budget.reachedWith(addedTokens)) {
			return false;
		}
		Optional<SpendCapReached> reached = this.jdbc.sql(CLAIM)
			.param("workspaceId", workspaceId)
			.query((row, i) -> new SpendCapReached(row.getString("month"), row.getLong("budget"), row.getLong("tokens"),
					row.getObject("reached_at", OffsetDateTime.class).toInstant()))
			.optional();
		reached.ifPresent(event -> this.outbox.append(EventCodec.envelope(workspaceId, event.reachedAt(), event),
				WORKSPACE, workspaceId.toString()));
		return reached.isPresent();
	}

}
