package dev.clara.embedding.training;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * The dead-letter topic of the embedded topic the trainer consumes (consumers declare their own):
 * where its records go when the database stays away through every retry.
 */
@Configuration(proxyBeanMethods = false)
class TrainerConfiguration {

	@Bean
	NewTopic embeddedDeadLetterTopic(TrainerProperties properties,
			@Value("${clara.worker.dlt-partitions:6}") int partitions) {
		return TopicBuilder.name(properties.embeddedTopic() + "-dlt").partitions(partitions).build();
	}

}
