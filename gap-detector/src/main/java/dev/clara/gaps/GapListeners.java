package dev.clara.gaps;

import java.nio.charset.StandardCharsets;

import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.EventHeaders;
import dev.clara.shared.events.InvalidEventException;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.shared.events.QuestionAsked;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The two inputs, one record at a time (each is one database transaction). A record that is not
 * a readable event of the expected type throws {@code InvalidEventException}, which the error
 * handler sends to the dead-letter topic at once.
 */
@Component
class GapListeners {

	private final EventCodec events;

	private final Gaps gaps;

	GapListeners(EventCodec events, Gaps gaps) {
		this.events = events;
		this.gaps = gaps;
	}

	@KafkaListener(topics = "${clara.topics.questions}")
	void onQuestion(ConsumerRecord<String, String> record) {
		this.gaps.recordQuestion(this.events.fromJson(record.value(), QuestionAsked.class));
	}

	/**
	 * The Q&A changes topic carries the relay's {@code QaPairChanged} events (the embedding
	 * worker's) and the worker's {@code QaPairEmbedded} (ours); the relay marks each with its
	 * {@code clara-event-type} header. A record whose header says {@code QaPairEmbedded} is read
	 * strictly and dead-lettered when it is not a valid one. Anything else, readable or not, is
	 * the embedding worker's to apply or dead-letter, so a poison record lands on the dead-letter
	 * topic once; only a record without a header that is nonetheless a valid {@code QaPairEmbedded}
	 * is applied here too.
	 */
	@KafkaListener(topics = "${clara.topics.qa-pair-changes}")
	void onQaPairChange(ConsumerRecord<String, String> record) {
		Header header = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
		if (header != null) {
			if (QaPairEmbedded.TYPE.equals(new String(header.value(), StandardCharsets.UTF_8))) {
				this.gaps.closeAnswered(this.events.fromJson(record.value(), QaPairEmbedded.class));
			}
			return;
		}
		EventEnvelope<QaPairEmbedded> untyped;
		try {
			untyped = this.events.fromJson(record.value(), QaPairEmbedded.class);
		}
		catch (InvalidEventException ex) {
			return;
		}
		this.gaps.closeAnswered(untyped);
	}

}
