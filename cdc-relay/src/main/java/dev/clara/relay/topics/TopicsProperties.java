package dev.clara.relay.topics;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Kafka topics the relay publishes to; names and partitions are set in
 * {@code application.properties}, with their environment variables and defaults.
 *
 * @param questions topic of {@code QuestionAsked} events
 * @param gaps topic of {@code GapDetected} events, consumed by analysts
 * @param qaPairChanges topic of Q&A pair row changes ({@code QaPairChanged} only), consumed by
 * the embedding worker
 * @param qaPairEmbedded topic of the embedding worker's {@code QaPairEmbedded} (outbox), consumed
 * by the gap detector
 * @param outboxDeadLetter where outbox rows of an event type without a route go (never dropped)
 * @param partitions partitions of each topic; records are keyed by workspace, so this bounds
 * how many consumer replicas can share the work
 * @param replicationFactor replication factor of the topics the relay declares (1 on the local
 * single-broker stack, 3 on a real cluster)
 */
@ConfigurationProperties("clara.topics")
public record TopicsProperties(String questions, String gaps, String qaPairChanges, String qaPairEmbedded,
		String outboxDeadLetter, int partitions, short replicationFactor) {
}
