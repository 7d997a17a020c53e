package dev.clara.relay.topics;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Kafka topics the relay publishes to.
 *
 * @param questions topic of {@code QuestionAsked} events
 * @param gaps topic of {@code GapDetected} events, consumed by analysts
 * @param qaPairChanges topic of Q&A pair row changes, consumed by the embedding worker
 * @param partitions partitions of each topic; records are keyed by workspace, so this bounds
 * how many consumer replicas can share the work
 */
@ConfigurationProperties("clara.topics")
public record TopicsProperties(String questions, String gaps, String qaPairChanges, int partitions) {
}
