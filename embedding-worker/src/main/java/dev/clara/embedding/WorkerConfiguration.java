package dev.clara.embedding;

import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.EmbeddingProviders;
import dev.clara.shared.embedding.EmbeddingSettings;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.InvalidEventException;
import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

	/** The deployment's embedding provider, read the same way in every service ({@link EmbeddingSettings#from}). */
	@Bean
	EmbeddingProvider embeddingProvider(Environment environment) {
		return EmbeddingProviders.create(EmbeddingSettings.from(environment::getProperty));
	}

	@Bean
	EventCodec eventCodec() {
		return new EventCodec();
	}

	/**
	 * Transient failures are retried with a bounded back-off; after that, or at once for poison
	 * events (unreadable, or of a type other than {@code QaPairChanged}) and permanent provider
	 * refusals, the records go to {@code <topic>-dlt} with the reason in their headers, and the
	 * partition moves on. Backfill picks up their pairs later.
	 */
	@Bean
	DefaultErrorHandler errorHandler(KafkaTemplate<Object, Object> template) {
		ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(5);
		backOff.setInitialInterval(500);
		backOff.setMultiplier(2.0);
		backOff.setMaxInterval(10_000);
		DefaultErrorHandler handler = new DefaultErrorHandler(new DeadLetterPublishingRecoverer(template), backOff);
		handler.addNotRetryableExceptions(InvalidEventException.class,
				ChangeListener.PermanentEmbeddingFailure.class);
		return handler;
	}

	@Bean
	NewTopic changesDeadLetterTopic(WorkerProperties properties) {
		return TopicBuilder.name(properties.changesTopic() + "-dlt").partitions(properties.dltPartitions()).build();
	}

}
