package dev.clara.chat.owner.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.usage.UsageRepository.Day;
import dev.clara.chat.owner.usage.UsageRepository.Month;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.workspace.TokenBudget;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Token usage (LLM answers, remote embeddings) per model per day (UTC) from {@code api_usage}, and the month against the budget. */
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

	record Usage(LocalDate from, LocalDate to, List<Day> days, long totalTokens, MonthBudget month) {
	}

	/**
	 * The current UTC month against the monthly token budget: at {@code capReached} the chat answers
	 * without the LLM until the month ends or the owner raises the budget.
	 * @param budget the {@code monthly_token_budget} setting, null for no cap
	 * @param capReachedAt when the month's tokens were first found at the budget (the
	 * {@code SpendCapReached} event), null before; it stays when the owner raises the budget
	 */
	record MonthBudget(String month, long tokens, Long budget, boolean capReached, Instant capReachedAt) {
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
			List<Day> days = this.usage.days(sql, start, end);
			Month month = this.usage.month(sql).orElseThrow(() -> OwnerProblems.notFound("workspace"));
			TokenBudget budget = new TokenBudget(month.budget(), month.tokens());
			return new Usage(start, end, days, days.stream().mapToLong(Day::totalTokens).sum(),
					new MonthBudget(month.month(), month.tokens(), month.budget(), budget.reached(),
							month.reachedAt()));
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
