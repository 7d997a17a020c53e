package dev.clara.gaps;

import java.util.ArrayList;
import java.util.List;

import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.QuestionAsked;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * {@code QuestionAsked} events a poll at a time ({@link QuestionBatches}: one provider call and one
 * transaction per poll). The error handler ({@code GapConfiguration}) is the one of the other
 * inputs; a failure names the record it is about ({@link BatchListenerFailedException}), so that the
 * records before it are committed, it alone is retried or dead-lettered, and the records after it
 * come back in the next poll, neither lost nor applied twice:
 *
 * <ul>
 * <li>a poison record (unreadable, wrong type or version, a blank gap question): the records
 * before it are applied first, then it goes to the dead-letter topic at once;</li>
 * <li>a database that is down or busy: nothing of the batch committed, so the batch is retried
 * from its first record, without limit;</li>
 * <li>any other failure: the batch is applied again one event per transaction
 * ({@link Gaps#recordQuestion}) to find the event that fails, which is retried 5 times, then
 * dead-lettered, while the events before it stay applied.</li>
 * </ul>
 *
 * <p>{@code max.poll.records} ({@code clara.gaps.question-batch-size}, default 500) bounds a batch:
 * a backlog is drained 500 events per transaction, while at a steady rate a poll returns what has
 * arrived (fetch.min.bytes stays 1), so latency does not wait for a batch to fill.
 */
@Component
class QuestionListener {

	private final EventCodec events;

	private final QuestionBatches batches;

	private final Gaps gaps;

	private final GapMetrics metrics;

	QuestionListener(EventCodec events, QuestionBatches batches, Gaps gaps, GapMetrics metrics) {
		this.events = events;
		this.batches = batches;
		this.gaps = gaps;
		this.metrics = metrics;
	}

	@KafkaListener(topics = "${clara.topics.questions}", batch = "true",
			properties = "max.poll.records=${clara.gaps.question-batch-size:500}")
	void onQuestions(List<ConsumerRecord<String, String>> records) {
		List<EventEnvelope<QuestionAsked>> batch = new ArrayList<>(records.size());
		for (ConsumerRecord<String, String> record : records) {
			try {
				EventEnvelope<QuestionAsked> event = this.events.fromJson(record.value(), QuestionAsked.class);
				Gaps.requireQuestion(event);
				batch.add(event);
			}
			catch (RuntimeException ex) {
				// poison (InvalidEventException: dead-lettered at once) or anything unexpected (retried,
				// then dead-lettered): either way about this record alone, after the records before it
				apply(batch);
				// the message is the reason's, so the dead-letter headers carry it as for a single record
				throw new BatchListenerFailedException(ex.getMessage(), ex, batch.size());
			}
		}
		apply(batch);
	}

	/** Applies the events, which are the first records of the poll. */
	private void apply(List<EventEnvelope<QuestionAsked>> batch) {
		if (batch.isEmpty()) {
			return;
		}
		try {
			this.metrics.processedAll(GapMetrics.QUESTION_ASKED, batch.size(), () -> this.batches.record(batch));
		}
		catch (RuntimeException ex) {
			if (GapConfiguration.isTransientDatabaseFailure(ex)) {
				throw new BatchListenerFailedException(ex.getMessage(), ex, 0);
			}
			oneByOne(batch);
		}
	}

	private void oneByOne(List<EventEnvelope<QuestionAsked>> batch) {
		for (int i = 0; i < batch.size(); i++) {
			EventEnvelope<QuestionAsked> event = batch.get(i);
			try {
				this.metrics.processed(GapMetrics.QUESTION_ASKED, () -> this.gaps.recordQuestion(event));
			}
			catch (RuntimeException ex) {
				throw new BatchListenerFailedException(ex.getMessage(), ex, i);
			}
		}
	}

}
