package dev.clara.gaps;

import java.util.List;
import java.util.UUID;

import dev.clara.shared.events.DocumentIngested;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.QaPairEmbedded;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The pair and document inputs, one record at a time (each is one database transaction; the
 * questions are applied a poll at a time by {@link QuestionListener}). A record that is not
 * a readable event of the expected type throws {@code InvalidEventException}, which the error
 * handler sends to the dead-letter topic at once.
 */
@Component
class GapListeners {

	private final EventCodec events;

	private final Gaps gaps;

	private final DocumentGaps documentGaps;

	private final GapMetrics metrics;

	GapListeners(EventCodec events, Gaps gaps, DocumentGaps documentGaps, GapMetrics metrics) {
		this.events = events;
		this.gaps = gaps;
		this.documentGaps = documentGaps;
		this.metrics = metrics;
	}

	/**
	 * The embedding worker's {@code QaPairEmbedded}, on a topic of their own: a record of any other
	 * type there is poison.
	 */
	@KafkaListener(topics = "${clara.topics.qa-pair-embedded}")
	void onQaPairEmbedded(ConsumerRecord<String, String> record) {
		var event = this.events.fromJson(record.value(), QaPairEmbedded.class);
		Gaps.Closed closed = this.metrics.processed(GapMetrics.QA_PAIR_EMBEDDED, () -> this.gaps.closeAnswered(event));
		this.metrics.closed("pair", closed.gapIds().size());
	}

	/** The embedding worker's {@code DocumentIngested}: a ready document may answer open gaps. */
	@KafkaListener(topics = "${clara.topics.document-ingested}")
	void onDocumentIngested(ConsumerRecord<String, String> record) {
		var event = this.events.fromJson(record.value(), DocumentIngested.class);
		List<UUID> closed = this.metrics.processed(GapMetrics.DOCUMENT_INGESTED,
				() -> this.documentGaps.closeAnswered(event));
		this.metrics.closed("document", closed.size());
	}

}
