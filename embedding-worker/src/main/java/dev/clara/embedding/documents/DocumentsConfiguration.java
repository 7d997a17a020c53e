package dev.clara.embedding.documents;

import java.util.Properties;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * The documents listener's own container: one record per poll (an extraction and its embeddings
 * take seconds, so a poll of 64 would exceed the poll interval), a poll interval long enough for
 * the slowest document (the extraction's time-out plus embedding its chunks), and the worker's
 * error handler (retry transient failures, dead-letter poison at once).
 */
@Configuration(proxyBeanMethods = false)
class DocumentsConfiguration {

	static final String FACTORY = "documentListenerFactory";

	@Bean(FACTORY)
	ConcurrentKafkaListenerContainerFactory<Object, Object> documentListenerFactory(
			ConsumerFactory<Object, Object> consumers, DefaultErrorHandler errorHandler, DocumentProperties properties,
			KafkaProperties kafka) {
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
		factory.setConsumerFactory(consumers);
		// like Boot's own factory: a benchmark's or evaluation's worker (auto-startup off) must not join
		// the running stack's consumer group and take its documents' events
		factory.setAutoStartup(kafka.getListener().isAutoStartup());
		factory.setBatchListener(false);
		factory.setCommonErrorHandler(errorHandler);
		Properties overrides = new Properties();
		overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
		long interval = properties.extractionTimeout().toMillis() + 10 * 60_000L;
		overrides.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(interval));
		factory.getContainerProperties().setKafkaConsumerProperties(overrides);
		return factory;
	}

	@Bean
	NewTopic documentChangesDeadLetterTopic(DocumentProperties properties) {
		return TopicBuilder.name(properties.changesTopic() + "-dlt").partitions(properties.dltPartitions()).build();
	}

}
