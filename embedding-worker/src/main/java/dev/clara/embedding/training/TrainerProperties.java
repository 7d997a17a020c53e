package dev.clara.embedding.training;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the answer-model trainer (embedding-worker/README.md, "The answer-model trainer").
 *
 * @param enabled whether this process trains at all
 * @param embeddedTopic the topic of {@code QaPairEmbedded}; the changes topic is the worker's
 * @param quiet a workspace is trained once no change has come for this long...
 * @param maxDelay ...or once its oldest waiting change is this old, whichever comes first
 * @param pollInterval how often the trainer looks for a workspace that is due
 * @param lease how long a claimed workspace stays claimed; a crashed trainer's work is taken
 * again after it
 * @param retryAfter how long a workspace whose training failed waits before the next try
 * @param threads threads one training run uses
 * @param maxPairs the most pairs a workspace's model is trained on (bounds memory); a larger
 * knowledge base is answered by search alone
 * @param healthMaxPairs the largest knowledge base cross-validated for the health report
 */
@ConfigurationProperties("clara.trainer")
record TrainerProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("clara.qa-pairs.embedded") String embeddedTopic, @DefaultValue("5s") Duration quiet,
		@DefaultValue("120s") Duration maxDelay, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("10m") Duration lease, @DefaultValue("60s") Duration retryAfter, @DefaultValue("2") int threads,
		@DefaultValue("50000") int maxPairs, @DefaultValue("20000") int healthMaxPairs) {
}
