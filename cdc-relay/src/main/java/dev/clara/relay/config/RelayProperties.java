package dev.clara.relay.config;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The relay's settings ({@code clara.relay.*}).
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
public record RelayProperties(@DefaultValue("clara_cdc") String slotName,
		@DefaultValue("clara_cdc") String publicationName, Map<String, String> routes,
		@DefaultValue("10s") Duration heartbeatInterval, @DefaultValue("50ms") Duration pollInterval,
		@DefaultValue("2048") int maxBatchSize, @DefaultValue("1s") Duration offsetFlushInterval,
		@DefaultValue("1s") Duration standbyPollInterval, @DefaultValue("1s") Duration lockCheckInterval,
		@DefaultValue("10s") Duration maxBackoff, @DefaultValue("7d") Duration outboxRetention,
		@DefaultValue("7d") Duration processedEventsRetention, @DefaultValue("1h") Duration pruneInterval,
		@DefaultValue("1h") Duration pruneSafetyMargin, String replayOutboxSince) {

	public RelayProperties {
		routes = (routes != null) ? Map.copyOf(routes) : Map.of();
	}

}
