package dev.clara.relay.config;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The relay's settings ({@code clara.relay.*}). Each is optional: what is not set keeps the
 * default of {@link dev.clara.relay.core.RelaySettings#builder()}, the one place they are stated.
 *
 * @param slotName replication slot; also the advisory lock's and Debezium's topic prefix
 * @param publicationName pgoutput publication
 * @param routes outbox event type to Kafka topic, for example {@code routes[QuestionAsked]}
 * @param heartbeatInterval Debezium heartbeat (keeps the slot moving while tables are idle)
 * @param pollInterval how often the engine looks for changes (commit-to-Kafka latency)
 * @param maxBatchSize most changes per batch
 * @param offsetFlushInterval how often processed offsets are stored and the slot confirmed
 * @param standbyPollInterval how often a standby tries the lock
 * @param lockCheckInterval how often the active instance checks its lock session
 * @param maxBackoff ceiling of the retry back-off
 * @param outboxRetention outbox rows older than this are pruned (after they were relayed)
 * @param processedEventsRetention consumers' processed_events older than this are pruned
 * @param pruneInterval how often pruning runs
 * @param pruneSafetyMargin rows are pruned only if created this long before the last relayed
 * outbox row committed
 * @param replayOutboxSince the recovery command: replay from this ISO-8601 instant, then exit
 */
@ConfigurationProperties("clara.relay")
public record RelayProperties(String slotName, String publicationName, Map<String, String> routes,
		Duration heartbeatInterval, Duration pollInterval, Integer maxBatchSize, Duration offsetFlushInterval,
		Duration standbyPollInterval, Duration lockCheckInterval, Duration maxBackoff, Duration outboxRetention,
		Duration processedEventsRetention, Duration pruneInterval, Duration pruneSafetyMargin,
		String replayOutboxSince) {

	public RelayProperties {
		routes = (routes != null) ? Map.copyOf(routes) : Map.of();
	}

}
