package dev.clara.relay.config;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import javax.sql.DataSource;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

import dev.clara.relay.core.CdcRelay;
import dev.clara.relay.core.RelaySettings;

/** The recovery command ({@code --replay-outbox-since=<ISO time>}): runs once, then the process exits. */
class RecoveryRunner implements ApplicationRunner {

	private final RelaySettings settings;

	private final DataSource dataSource;

	private final String since;

	RecoveryRunner(RelaySettings settings, DataSource dataSource, String since) {
		this.settings = settings;
		this.dataSource = dataSource;
		this.since = since;
	}

	@Override
	public void run(ApplicationArguments args) throws Exception {
		CdcRelay.recover(this.settings, this.dataSource, parse(this.since));
	}

	static Instant parse(String text) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("--replay-outbox-since needs an ISO-8601 time, e.g. 2025-01-31T12:00:00Z");
		}
		try {
			return OffsetDateTime.parse(text.trim()).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("--replay-outbox-since: '" + text
					+ "' is not an ISO-8601 time with an offset, e.g. 2025-01-31T12:00:00Z", ex);
		}
	}

}
