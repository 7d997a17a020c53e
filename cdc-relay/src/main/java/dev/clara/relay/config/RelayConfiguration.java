package dev.clara.relay.config;

import java.util.function.Consumer;

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
import dev.clara.shared.embedding.EmbeddingSettings;

/** Builds the relay from the application's configuration. */
@Configuration(proxyBeanMethods = false)
class RelayConfiguration {

	@Bean
	RelaySettings relaySettings(RelayProperties relay, TopicsProperties topics, DataSourceProperties database,
			@Value("${spring.kafka.bootstrap-servers}") String kafkaBootstrapServers,
			@Value("${clara.embedding.provider:}") String embeddingProvider,
			@Value("${clara.embedding.model:}") String embeddingModel) {
		if (relay.routes().isEmpty()) {
			throw new IllegalStateException("No outbox routes: set clara.relay.routes[<EventType>]=<topic>");
		}
		RelaySettings.Builder builder = RelaySettings.builder()
			.jdbcUrl(database.determineUrl())
			.user(database.determineUsername())
			.password(database.determinePassword())
			.kafkaBootstrapServers(kafkaBootstrapServers)
			.routes(relay.routes())
			.deadLetterTopic(topics.outboxDeadLetter())
			.qaPairChangesTopic(topics.qaPairChanges())
			.topicPartitions(topics.partitions())
			.topicReplicationFactor(topics.replicationFactor())
			// the services' model: the same default when unset (EmbeddingSettings)
			.embeddingModel(EmbeddingSettings.modelOrDefault(embeddingProvider, embeddingModel));
		// what is not configured keeps the builder's default, the one place the relay's defaults are stated
		ifSet(relay.slotName(), builder::slotName);
		ifSet(relay.publicationName(), builder::publicationName);
		ifSet(relay.heartbeatInterval(), builder::heartbeatInterval);
		ifSet(relay.pollInterval(), builder::pollInterval);
		ifSet(relay.maxBatchSize(), builder::maxBatchSize);
		ifSet(relay.offsetFlushInterval(), builder::offsetFlushInterval);
		ifSet(relay.standbyPollInterval(), builder::standbyPollInterval);
		ifSet(relay.lockCheckInterval(), builder::lockCheckInterval);
		ifSet(relay.maxBackoff(), builder::maxBackoff);
		ifSet(relay.outboxRetention(), builder::outboxRetention);
		ifSet(relay.processedEventsRetention(), builder::processedEventsRetention);
		ifSet(relay.pruneInterval(), builder::pruneInterval);
		ifSet(relay.pruneSafetyMargin(), builder::pruneSafetyMargin);
		return builder.build();
	}

	/** Applies a configured value; null or blank (an unset environment variable) is not configured. */
	private static <T> void ifSet(T value, Consumer<T> setter) {
		if (value != null && !(value instanceof String text && text.isBlank())) {
			setter.accept(value);
		}
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
