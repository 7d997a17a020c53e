package dev.clara.chat.owner.stats;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.stats.StatsRepository.Bin;
import dev.clara.chat.owner.stats.StatsRepository.Thresholds;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.search.QuestionEmbeddings;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The overview's questions per day and the calibration view's confidence histogram, both over
 * UTC days ending today.
 */
@RestController
class StatsController {

	static final int MAX_DAYS = 366;

	static final int DEFAULT_DAYS = 30;

	static final Set<Integer> CALIBRATION_PERIODS = Set.of(7, 30);

	static final int DEFAULT_CALIBRATION_DAYS = 7;

	static final int BINS = 100;

	private final OwnerDb db;

	private final StatsRepository stats;

	private final QuestionEmbeddings embeddings;

	StatsController(OwnerDb db, StatsRepository stats, QuestionEmbeddings embeddings) {
		this.db = db;
		this.stats = stats;
		this.embeddings = embeddings;
	}

	/** @param answered questions Clara answered (not flagged) */
	record Day(LocalDate date, long questions, long answered, long flagged, long escalations) {
	}

	record Daily(List<Day> days) {
	}

	/**
	 * @param bins {@code bins[i]}: questions whose confidence c is i/100 ≤ c < (i+1)/100 (1.0 in the last)
	 * @param unmatched questions without a confidence (always flagged)
	 */
	record Calibration(int days, long questions, double threshold, double modelThreshold, long[] bins,
			long unmatched) {
	}

	@GetMapping("/api/owner/stats/daily")
	Daily daily(OwnerPrincipal owner, @RequestParam(required = false) String days) {
		String rule = "must be a whole number from 1 to " + MAX_DAYS;
		int count = days(days, DEFAULT_DAYS, rule);
		if (count > MAX_DAYS) {
			throw OwnerProblems.invalid("days", rule);
		}
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		return this.db.as(owner, sql -> new Daily(this.stats.daily(sql, today.minusDays(count - 1L), today)
			.stream()
			.map(day -> new Day(day.date(), day.questions(), day.questions() - day.flagged(), day.flagged(),
					day.escalations()))
			.toList()));
	}

	@GetMapping("/api/owner/calibration")
	Calibration calibration(OwnerPrincipal owner, @RequestParam(required = false) String days) {
		String rule = "must be 7 or 30";
		int count = days(days, DEFAULT_CALIBRATION_DAYS, rule);
		if (!CALIBRATION_PERIODS.contains(count)) {
			throw OwnerProblems.invalid("days", rule);
		}
		LocalDate from = LocalDate.now(ZoneOffset.UTC).minusDays(count - 1L);
		return this.db.as(owner, sql -> {
			Thresholds thresholds = this.stats.thresholds(sql, this.embeddings.deploymentModel())
				.orElseThrow(() -> OwnerProblems.notFound("workspace"));
			long[] bins = new long[BINS];
			long unmatched = 0;
			long questions = 0;
			for (Bin bin : this.stats.bins(sql, from)) {
				questions += bin.questions();
				if (bin.bin() == null) {
					unmatched += bin.questions();
				}
				else {
					bins[bin.bin()] += bin.questions();
				}
			}
			return new Calibration(count, questions, thresholds.threshold(), thresholds.modelThreshold(), bins,
					unmatched);
		});
	}

	private static int days(String value, int fallback, String rule) {
		if (value == null || value.isBlank()) {
			return fallback;
		}
		try {
			int days = Integer.parseInt(value.strip());
			if (days >= 1) {
				return days;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw OwnerProblems.invalid("days", rule);
	}

}
