package dev.clara.relay.topics;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The broker has automatic topic creation off, so the relay, which writes every topic, declares
 * them. Consumers declare their own dead-letter topics.
 */
@Configuration(proxyBeanMethods = false)
class TopicDeclarations {

	@Bean
	KafkaAdmin.NewTopics claraTopics(TopicsProperties topics) {
		return new KafkaAdmin.NewTopics(topic(topics.questions(), topics), topic(topics.gaps(), topics),
				topic(topics.qaPairChanges(), topics));
	}

	private static NewTopic topic(String name, TopicsProperties topics) {
		return TopicBuilder.name(name).partitions(topics.partitions()).replicas(1).build();
	}

}
