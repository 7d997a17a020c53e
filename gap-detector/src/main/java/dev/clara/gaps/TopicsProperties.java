package dev.clara.gaps;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The topics the gap detector reads (its {@code GapDetected} events reach {@link #gaps()} through
 * the outbox and the CDC relay, never from this service directly).
 *
 * @param questions {@code QuestionAsked} events, keyed by workspace
 * @param gaps where the relay publishes {@code GapDetected}
 * @param qaPairEmbedded the embedding worker's {@code QaPairEmbedded}, keyed by workspace
 * @param feedback the chat API's {@code AnswerRated} (visitors' ratings of answers), keyed by workspace
 * @param documentIngested the embedding worker's {@code DocumentIngested}, keyed by workspace
 * @param partitions partitions of the dead-letter topics it declares (the same as the source topics)
 */
@ConfigurationProperties("clara.topics")
public record TopicsProperties(@DefaultValue("clara.questions") String questions,
		@DefaultValue("clara.gaps") String gaps, @DefaultValue("clara.qa-pairs.embedded") String qaPairEmbedded,
		@DefaultValue("clara.feedback") String feedback,
		@DefaultValue("clara.documents.ingested") String documentIngested, @DefaultValue("6") int partitions) {

	/** spring-kafka's default dead-letter topic name. */
	static String deadLetter(String topic) {
		return topic + "-dlt";
	}

}
