package dev.clara.chat.owner.usage;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.OwnerProblems;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** LLM token usage per model per day (UTC) from {@code api_usage}. */
@RestController
@RequestMapping("/api/owner/usage")
class UsageController {

	static final int MAX_DAYS = 366;

	private final OwnerDb db;

	UsageController(OwnerDb db) {
		this.db = db;
	}

	record Day(LocalDate day, String provider, String model, long calls, long promptTokens, long completionTokens,
			long totalTokens) {
	}

	record Usage(LocalDate from, LocalDate to, List<Day> days, long totalTokens) {
	}

	/** {@code from} and {@code to} (inclusive, {@code YYYY-MM-DD}); the last 30 days by default. */
	@GetMapping
	Usage usage(OwnerPrincipal owner, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to) {
		LocalDate end = date("to", to, LocalDate.now(ZoneOffset.UTC));
		LocalDate start = date("from", from, end.minusDays(29));
		if (start.isAfter(end)) {
			throw OwnerProblems.invalid("from", "must not be after to");
		}
		if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
			throw OwnerProblems.invalid("from", "the range must be at most " + MAX_DAYS + " days");
		}
		return this.db.as(owner, sql -> {
			List<Day> days = sql.sql("""
					SELECT (created_at AT TIME ZONE 'UTC')::date AS day, provider, model, count(*) AS calls,
					       COALESCE(sum(prompt_tokens), 0) AS prompt_tokens,
					       COALESCE(sum(completion_tokens), 0) AS completion_tokens,
					       COALESCE(sum(total_tokens), 0) AS total_tokens
					FROM api_usage
					WHERE created_at >= CAST(:from AS date) AT TIME ZONE 'UTC'
					  AND created_at < (CAST(:to AS date) + 1) AT TIME ZONE 'UTC'
					GROUP BY 1, 2, 3
					ORDER BY 1, 2, 3
					""")
				.param("from", start.toString())
				.param("to", end.toString())
				.query((row, i) -> new Day(row.getObject("day", LocalDate.class), row.getString("provider"),
						row.getString("model"), row.getLong("calls"), row.getLong("prompt_tokens"),
						row.getLong("completion_tokens"), row.getLong("total_tokens")))
				.list();
			return new Usage(start, end, days, days.stream().mapToLong(Day::totalTokens).sum());
		});
	}

	private static LocalDate date(String name, String value, LocalDate fallback) {
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			return LocalDate.parse(value.strip());
		}
		catch (DateTimeParseException ex) {
			throw OwnerProblems.invalid(name, "must be a date like 2026-01-31");
		}
	}

}
