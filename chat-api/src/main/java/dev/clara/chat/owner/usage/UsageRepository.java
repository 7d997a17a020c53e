package dev.clara.chat.owner.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The workspace's {@code api_usage}, inside {@code OwnerDb.as}: row-level security leaves only the owner's. */
@Repository
class UsageRepository {

	private static final String DAYS = """
			SELECT (created_at AT TIME ZONE 'UTC')::date AS day, provider, model, count(*) AS calls,
			       COALESCE(sum(prompt_tokens), 0) AS prompt_tokens,
			       COALESCE(sum(completion_tokens), 0) AS completion_tokens,
			       COALESCE(sum(total_tokens), 0) AS total_tokens
			FROM api_usage
			WHERE created_at >= CAST(:from AS date) AT TIME ZONE 'UTC'
			  AND created_at < (CAST(:to AS date) + 1) AT TIME ZONE 'UTC'
			GROUP BY 1, 2, 3
			ORDER BY 1, 2, 3
			""";

	/**
	 * The budget and the tokens of the current UTC month, as the chat turn reads them, and when
	 * the cap was first reached this month ({@code spend_cap_events}).
	 */
	private static final String MONTH = """
			SELECT w.settings -> 'monthly_token_budget' AS budget,
			       (SELECT s.reached_at FROM spend_cap_events s
			        WHERE s.workspace_id = w.id AND s.month = date_trunc('month', now() AT TIME ZONE 'UTC')::date) AS reached_at,
			       (SELECT COALESCE(sum(u.total_tokens), 0) FROM api_usage u
			        WHERE u.workspace_id = w.id
			          AND u.created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS tokens,
			       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM') AS month
			FROM workspaces w
			""";

	/** The month so far: {@code budget} null when the owner set no cap, {@code reachedAt} null until the cap was announced. */
	record Month(String month, long tokens, Long budget, Instant reachedAt) {
	}

	record Day(LocalDate day, String provider, String model, long calls, long promptTokens, long completionTokens,
			long totalTokens) {
	}

	Optional<Month> month(JdbcClient sql) {
		return sql.sql(MONTH).query((row, i) -> {
			String budget = row.getString("budget");
			OffsetDateTime reachedAt = row.getObject("reached_at", OffsetDateTime.class);
			return new Month(row.getString("month"), row.getLong("tokens"),
					budget == null || "null".equals(budget) ? null : new BigDecimal(budget).longValueExact(),
					reachedAt == null ? null : reachedAt.toInstant());
		}).optional();
	}

	/** Usage per UTC day, provider and model from {@code from} to {@code to}, both included. */
	List<Day> days(JdbcClient sql, LocalDate from, LocalDate to) {
		return sql.sql(DAYS)
			.param("from", from.toString())
			.param("to", to.toString())
			.query((row, i) -> new Day(row.getObject("day", LocalDate.class), row.getString("provider"),
					row.getString("model"), row.getLong("calls"), row.getLong("prompt_tokens"),
					row.getLong("completion_tokens"), row.getLong("total_tokens")))
			.list();
	}

}
