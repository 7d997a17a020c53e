package dev.clara.chat.owner.live;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

	/** The feed's container as a bean, so the application context starts and stops it. */
	@Bean
	KafkaMessageListenerContainer<String, String> liveFeedContainer(LiveFeed feed) {
		return feed.container();
	}

}
