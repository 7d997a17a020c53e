package dev.clara.chat.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The deployment's embedding provider, shared with the embedding worker.
 *
 * @param provider {@code local} (in-process model, no network) or {@code openai}
 * @param model the model id, a row of {@code embedding_models}
 * @param timeout how long one provider call may take
 */
@ConfigurationProperties("clara.embedding")
public record EmbeddingProperties(@DefaultValue("local") String provider,
		@DefaultValue("bge-small-en-v1.5-q") String model, @DefaultValue("10s") Duration timeout) {
}
