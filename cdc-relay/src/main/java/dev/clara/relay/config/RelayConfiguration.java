package dev.clara.relay.config;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.clara.relay.core.CdcRelay;
import dev.clara.relay.core.RelaySettings;
import dev.clara.relay.topics.TopicsProperties;

/** Builds the relay from the application's configuration. */
@Configuration(proxyBeanMethods = false)
class RelayConfiguration {

	@Bean
	RelaySettings relaySettings(RelayProperties relay, TopicsProperties topics, DataSourceProperties database,
			@Value("${spring.kafka.bootstrap-servers}") String kafkaBootstrapServers,
			@Value("${clara.embedding.model:bge-small-en-v1.5-q}") String embeddingModel) {
		if (relay.routes().isEmpty()) {
			throw new IllegalStateException("No outbox routes: set clara.relay.routes[<EventType>]=<topic>");
		}
		return RelaySettings.builder()
			.jdbcUrl(database.determineUrl())
			.user(database.determineUsername())
			.password(database.determinePassword())
			.kafkaBootstrapServers(kafkaBootstrapServers)
			.slotName(relay.slotName())
			.publicationName(relay.publicationName())
			.routes(relay.routes())
			.deadLetterTopic(topics.outboxDeadLetter())
			.qaPairChangesTopic(topics.qaPairChanges())
			.topicPartitions(topics.partitions())
			.topicReplicationFactor(topics.replicationFactor())
			.embeddingModel(embeddingModel)
			.heartbeatInterval(relay.heartbeatInterval())
			.pollInterval(relay.pollInterval())
			.maxBatchSize(relay.maxBatchSize())
			.offsetFlushInterval(relay.offsetFlushInterval())
			.standbyPollInterval(relay.standbyPollInterval())
			.lockCheckInterval(relay.lockCheckInterval())
			.maxBackoff(relay.maxBackoff())
			.outboxRetention(relay.outboxRetention())
			.processedEventsRetention(relay.processedEventsRetention())
			.pruneInterval(relay.pruneInterval())
			.pruneSafetyMargin(relay.pruneSafetyMargin())
			.build();
	}

	@Bean(destroyMethod = "")
	CdcRelay cdcRelay(RelaySettings settings, DataSource dataSource) {
		return new CdcRelay(settings, dataSource);
	}

	@Bean
	@ConditionalOnProperty(name = "clara.relay.mode", havingValue = "relay", matchIfMissing = true)
	RelayLifecycle relayLifecycle(CdcRelay relay, ConfigurableApplicationContext context) {
		return new RelayLifecycle(relay, context);
	}

	@Bean
	@ConditionalOnProperty(name = "clara.relay.mode", havingValue = "recover")
	RecoveryRunner recoveryRunner(CdcRelay relay, DataSource dataSource, RelayProperties properties) {
		return new RecoveryRunner(relay.settings(), dataSource, properties.replayOutboxSince());
	}

}
