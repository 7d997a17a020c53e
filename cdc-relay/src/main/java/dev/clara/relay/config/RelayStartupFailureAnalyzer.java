package dev.clara.relay.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.clara.relay.core.RelayStartupException;

/** Prints the offsets/slot disagreement and its recovery command as Spring Boot's start-up failure report. */
class RelayStartupFailureAnalyzer extends AbstractFailureAnalyzer<RelayStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RelayStartupException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Run the recovery command once (stop every relay instance first):" + System.lineSeparator() + "    "
						+ cause.recoveryCommand() + System.lineSeparator()
						+ "then start the relay again. See cdc-relay/README.md, \"Recovery\".",
				cause);
	}

}
