package dev.clara.relay.topics;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

import dev.clara.relay.core.RelaySettings;

/**
 * The broker has automatic topic creation off, so the relay, which writes every topic, declares
 * them: the topics of its routes (questions, gaps, the embedding worker's {@code QaPairEmbedded}),
 * the Q&A changes topic and the outbox dead-letter topic (the relay also creates any of them that
 * is missing when a send finds it absent). Consumers declare their own dead-letter topics.
 */
@Configuration(proxyBeanMethods = false)
class TopicDeclarations {

	@Bean
	KafkaAdmin.NewTopics claraTopics(RelaySettings settings) {
		return new KafkaAdmin.NewTopics(settings.topics()
			.stream()
			.map((name) -> topic(name, settings))
			.toArray(NewTopic[]::new));
	}

	private static NewTopic topic(String name, RelaySettings settings) {
		return TopicBuilder.name(name)
			.partitions(settings.topicPartitions())
			.replicas(settings.topicReplicationFactor())
			.build();
	}

}
