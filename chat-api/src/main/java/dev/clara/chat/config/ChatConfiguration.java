package dev.clara.chat.config;

import dev.clara.shared.crypto.LlmKeyCipher;
import dev.clara.shared.crypto.MasterKeys;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.EmbeddingProviders;
import dev.clara.shared.embedding.EmbeddingSettings;
import dev.clara.shared.events.EventCodec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ChatConfiguration {

	/** The deployment's embedding provider, read the same way in every service ({@link EmbeddingSettings#from}). */
	@Bean
	EmbeddingProvider embeddingProvider(Environment environment) {
		return EmbeddingProviders.create(EmbeddingSettings.from(environment::getProperty));
	}

	/** Owners' LLM keys can be used only when the deployment has master keys. */
	@Bean
	@ConditionalOnExpression("!'${clara.master-keys.keys:}'.isBlank()")
	LlmKeyCipher llmKeyCipher(@Value("${clara.master-keys.keys}") String keys,
			@Value("${clara.master-keys.current:}") String current) {
		return new LlmKeyCipher(MasterKeys.parse(keys, current));
	}

	@Bean
	EventCodec eventCodec() {
		return new EventCodec();
	}

}
