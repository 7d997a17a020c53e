package dev.clara.shared.embedding;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads how long a server asked us to wait: {@code Retry-After} as delta-seconds or an HTTP date
 * (RFC 9110 §10.2.3), or OpenAI's millisecond variant {@code retry-after-ms}, which is more
 * precise and so wins when both are present.
 */
final class RetryAfter {

	// digits with an optional fraction: stricter than Double.parseDouble, which takes "NaN", "1d", hex
	private static final Pattern NUMBER = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");

	private RetryAfter() {
	}

	static Optional<Duration> parse(String retryAfter, String retryAfterMs, Instant now) {
		Optional<Duration> millis = parseMillis(retryAfterMs);
		return millis.isPresent() ? millis : parse(retryAfter, now);
	}

	/** Empty when the header is absent or unreadable (then ordinary back-off applies). */
	static Optional<Duration> parse(String value, Instant now) {
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		String text = value.strip();
		if (NUMBER.matcher(text).matches()) {
			// delta-seconds; fractions are not in the RFC but some proxies send them
			return Optional.of(Duration.ofMillis((long) Math.ceil(Double.parseDouble(text) * 1000)));
		}
		try {
			Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			Duration wait = Duration.between(now, at);
			return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
		}
		catch (DateTimeParseException unreadable) {
			return Optional.empty();
		}
	}

	private static Optional<Duration> parseMillis(String value) {
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		String text = value.strip();
		return NUMBER.matcher(text).matches() ? Optional.of(Duration.ofMillis((long) Math.ceil(Double.parseDouble(text))))
				: Optional.empty();
	}

}
