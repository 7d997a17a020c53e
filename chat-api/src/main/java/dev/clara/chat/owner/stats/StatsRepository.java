package dev.clara.chat.owner.stats;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The figures of the owner's overview and calibration views, counted from the chat turns as
 * stored: each visitor question has one assistant message whose {@code metadata} holds the
 * turn's {@code confidence} and {@code gap_detected}; a conversation's first escalation offer is
 * its {@code escalated_at}. Every method runs inside {@code OwnerDb.as}: row-level security
 * leaves only the owner's workspace, so no statement names it.
 */
@Repository
class StatsRepository {

	/**
	 * A question is flagged when the turn found a gap, or when its reply has no numeric
	 * confidence (a reply stored without one could not have been judged answerable).
	 */
	private static final String FLAGGED = """
			(m.metadata -> 'gap_detected' = 'true'::jsonb OR jsonb_typeof(m.metadata -> 'confidence') IS DISTINCT FROM 'number')
			""";

	private static final String DAILY = """
			WITH turns AS (
			  SELECT (m.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS questions,
			         count(*) FILTER (WHERE %s) AS flagged
			  FROM messages m
			  WHERE m.role = 'assistant'
			    AND m.created_at >= CAST(:from AS date) AT TIME ZONE 'UTC'
			    AND m.created_at < (CAST(:to AS date) + 1) AT TIME ZONE 'UTC'
			  GROUP BY 1
			), escalations AS (
			  SELECT (c.escalated_at AT TIME ZONE 'UTC')::date AS day, count(*) AS escalations
			  FROM conversations c
			  WHERE c.escalated_at >= CAST(:from AS date) AT TIME ZONE 'UTC'
			    AND c.escalated_at < (CAST(:to AS date) + 1) AT TIME ZONE 'UTC'
			  GROUP BY 1
			)
			SELECT d.day::date AS day, COALESCE(t.questions, 0) AS questions, COALESCE(t.flagged, 0) AS flagged,
			       COALESCE(e.escalations, 0) AS escalations
			FROM generate_series(CAST(:from AS date), CAST(:to AS date), interval '1 day') AS d(day)
			LEFT JOIN turns t ON t.day = d.day::date
			LEFT JOIN escalations e ON e.day = d.day::date
			ORDER BY d.day
			""".formatted(FLAGGED);

	/**
	 * Questions since {@code from} per confidence bin (i/100 ≤ c < (i+1)/100, 1.0 in the last):
	 * computed on the stored decimal text as {@code numeric}, so 0.29 lands in bin 29 and not, as
	 * a double, in 28. Bin null: no numeric confidence.
	 */
	private static final String BINS = """
			SELECT CASE WHEN jsonb_typeof(m.metadata -> 'confidence') = 'number'
			            THEN LEAST(99, GREATEST(0, floor(CAST(m.metadata ->> 'confidence' AS numeric) * 100)))::int
			       END AS bin,
			       count(*) AS questions
			FROM messages m
			WHERE m.role = 'assistant' AND m.created_at >= CAST(:from AS date) AT TIME ZONE 'UTC'
			GROUP BY 1
			""";

	/**
	 * The effective threshold is the database's rule, for the model the owner's workspace view
	 * shows: the workspace's search model, else the deployment's.
	 */
	private static final String THRESHOLDS = """
			SELECT public.workspace_confidence_threshold(w.settings, COALESCE(m.id, d.id)) AS threshold,
			       COALESCE(m.confidence_threshold, d.confidence_threshold) AS model_threshold
			FROM workspaces w
			LEFT JOIN embedding_models m ON m.id = w.search_model
			LEFT JOIN embedding_models d ON d.id = :deploymentModel
			""";

	record Day(LocalDate date, long questions, long flagged, long escalations) {
	}

	/** @param bin 0–99, or null for questions without a confidence */
	record Bin(Integer bin, long questions) {
	}

	record Thresholds(double threshold, double modelThreshold) {
	}

	/** Every UTC day from {@code from} to {@code to}, both included, oldest first. */
	List<Day> daily(JdbcClient sql, LocalDate from, LocalDate to) {
		return sql.sql(DAILY)
			.param("from", from.toString())
			.param("to", to.toString())
			.query((row, i) -> new Day(row.getObject("day", LocalDate.class), row.getLong("questions"),
					row.getLong("flagged"), row.getLong("escalations")))
			.list();
	}

	List<Bin> bins(JdbcClient sql, LocalDate from) {
		return sql.sql(BINS)
			.param("from", from.toString())
			.query((row, i) -> new Bin((Integer) row.getObject("bin"), row.getLong("questions")))
			.list();
	}

	Optional<Thresholds> thresholds(JdbcClient sql, String deploymentModel) {
		return sql.sql(THRESHOLDS)
			.param("deploymentModel", deploymentModel)
			.query((row, i) -> new Thresholds(row.getDouble("threshold"), row.getDouble("model_threshold")))
			.optional();
	}

}
