package dev.clara.embedding;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the embedding worker.
 *
 * @param changesTopic the Q&A change stream the relay publishes ({@code QaPairChanged} only; a
 * record of any other type on it is dead-lettered)
 * @param batchSize most texts embedded in one provider call
 * @param maxWait longest a poll waits to fill a batch
 * @param backfillOnStartup whether to embed every pair that lacks a current vector at start-up
 * @param dltPartitions partitions of the dead-letter topic (the same as the changes topic)
 */
@ConfigurationProperties("clara.worker")
public record WorkerProperties(@DefaultValue("clara.qa-pairs.changes") String changesTopic,
		@DefaultValue("64") int batchSize, @DefaultValue("200ms") Duration maxWait,
		@DefaultValue("true") boolean backfillOnStartup, @DefaultValue("6") int dltPartitions) {
}
