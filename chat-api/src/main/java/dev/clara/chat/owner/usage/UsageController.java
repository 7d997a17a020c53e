package dev.clara.chat.owner.usage;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.usage.UsageRepository.Day;
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

	private final UsageRepository usage;

	UsageController(OwnerDb db, UsageRepository usage) {
		this.db = db;
		this.usage = usage;
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
		List<Day> days = this.db.as(owner, sql -> this.usage.days(sql, start, end));
		return new Usage(start, end, days, days.stream().mapToLong(Day::totalTokens).sum());
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
