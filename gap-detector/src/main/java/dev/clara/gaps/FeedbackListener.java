package dev.clara.gaps;

import dev.clara.shared.events.AnswerRated;
import dev.clara.shared.events.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The chat API's {@code AnswerRated}, on a topic of their own: a consumer of its own (the same
 * group, the same error handler as the other inputs: poison goes to {@code clara.feedback-dlt}
 * at once, a database outage is waited out), one record and one transaction at a time.
 */
@Component
class FeedbackListener {

	private final EventCodec events;

	private final Gaps gaps;

	private final GapMetrics metrics;

	FeedbackListener(EventCodec events, Gaps gaps, GapMetrics metrics) {
		this.events = events;
		this.gaps = gaps;
		this.metrics = metrics;
	}

	@KafkaListener(topics = "${clara.topics.feedback}")
	void onAnswerRated(ConsumerRecord<String, String> record) {
		var event = this.events.fromJson(record.value(), AnswerRated.class);
		this.metrics.processed(GapMetrics.ANSWER_RATED, () -> this.gaps.recordFeedback(event));
	}

}
