package dev.clara.gaps;

import java.util.function.BiFunction;

import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.EmbeddingProviders;
import dev.clara.shared.embedding.EmbeddingSettings;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.InvalidEventException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

@Configuration(proxyBeanMethods = false)
class GapConfiguration {

	/** The deployment's embedding provider, read the same way in every service ({@link EmbeddingSettings#from}). */
	@Bean
	EmbeddingProvider embeddingProvider(Environment environment) {
		return EmbeddingProviders.create(EmbeddingSettings.from(environment::getProperty));
	}

	@Bean
	GapEmbeddings gapEmbeddings(EmbeddingProvider provider) {
		return new GapEmbeddings(provider);
	}

	@Bean
	EventCodec eventCodec() {
		return new EventCodec();
	}

	/** Fails the start when the deployment's model has no row (and so no thresholds) in the database. */
	@Bean
	ApplicationRunner deploymentModelCheck(JdbcClient jdbc, EmbeddingProvider provider) {
		return args -> {
			boolean known = jdbc.sql("SELECT count(*) FROM embedding_models WHERE id = :id")
				.param("id", provider.modelId())
				.query(Long.class)
				.single() == 1;
			if (!known) {
				throw new IllegalStateException("embedding model " + provider.modelId()
						+ " is not in embedding_models: migrate the database or configure a known model");
			}
		};
	}

	/**
	 * Poison records (unreadable, wrong type or version, blank question) go to {@code <topic>-dlt}
	 * at once, with the reason in their headers, and the partition moves on. A database that is
	 * down or busy is waited for without limit (back-off up to 10 s): dead-lettering good events
	 * because of an outage would lose gaps. Anything else unexpected is retried 5 times, then
	 * dead-lettered.
	 */
	@Bean
	DefaultErrorHandler errorHandler(KafkaTemplate<Object, Object> template) {
		ExponentialBackOffWithMaxRetries bounded = new ExponentialBackOffWithMaxRetries(5);
		bounded.setInitialInterval(500);
		bounded.setMultiplier(2.0);
		bounded.setMaxInterval(10_000);
		DefaultErrorHandler handler = new DefaultErrorHandler(new DeadLetterPublishingRecoverer(template), bounded);
		handler.addNotRetryableExceptions(InvalidEventException.class);
		handler.setBackOffFunction(backOffFor(bounded));
		return handler;
	}

	static BiFunction<ConsumerRecord<?, ?>, Exception, BackOff> backOffFor(BackOff bounded) {
		return (record, exception) -> {
			if (isTransientDatabaseFailure(exception)) {
				ExponentialBackOff patient = new ExponentialBackOff(500, 2.0);
				patient.setMaxInterval(10_000);
				return patient;
			}
			return bounded;
		};
	}

	static boolean isTransientDatabaseFailure(Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof TransientDataAccessException || cause instanceof DataAccessResourceFailureException
					|| cause instanceof RecoverableDataAccessException || cause instanceof CannotCreateTransactionException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	@Bean
	NewTopic questionsDeadLetterTopic(TopicsProperties topics) {
		return TopicBuilder.name(TopicsProperties.deadLetter(topics.questions())).partitions(topics.partitions()).build();
	}

	@Bean
	NewTopic qaPairEmbeddedDeadLetterTopic(TopicsProperties topics) {
		return TopicBuilder.name(TopicsProperties.deadLetter(topics.qaPairEmbedded()))
			.partitions(topics.partitions())
			.build();
	}

	@Bean
	NewTopic documentIngestedDeadLetterTopic(TopicsProperties topics) {
		return TopicBuilder.name(TopicsProperties.deadLetter(topics.documentIngested()))
			.partitions(topics.partitions())
			.build();
	}

	@Bean
	NewTopic feedbackDeadLetterTopic(TopicsProperties topics) {
		return TopicBuilder.name(TopicsProperties.deadLetter(topics.feedback())).partitions(topics.partitions()).build();
	}

}
