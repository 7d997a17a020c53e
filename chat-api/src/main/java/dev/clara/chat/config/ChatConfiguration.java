package dev.clara.chat.config;

import dev.clara.shared.crypto.LlmKeyCipher;
import dev.clara.shared.crypto.MasterKeys;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.EmbeddingProviders;
import dev.clara.shared.embedding.EmbeddingSettings;
import dev.clara.shared.events.EventCodec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ChatConfiguration {

	/**
	 * The deployment's embedding provider, bound the same way in every service: {@code clara.embedding.*}
	 * ({@code CLARA_EMBEDDING_PROVIDER}, {@code CLARA_EMBEDDING_MODEL}; unset = the default model) with
	 * the deployment's OpenAI key and URL, {@code clara.openai.*} ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}).
	 */
	@Bean
	EmbeddingProvider embeddingProvider(Environment environment) {
		Binder binder = Binder.get(environment);
		return EmbeddingProviders.create(binder.bind("clara.embedding", EmbeddingSettings.class)
			.orElseGet(EmbeddingSettings::defaults)
			.withOpenAi(binder.bind("clara.openai.api-key", String.class).orElse(null),
					binder.bind("clara.openai.base-url", String.class).orElse(null)));
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
