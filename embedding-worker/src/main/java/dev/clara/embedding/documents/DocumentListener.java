package dev.clara.embedding.documents;

import java.io.IOException;

import dev.clara.shared.events.DocumentChanged;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.InvalidEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code DocumentChanged}, one record at a time (a document takes seconds, not
 * milliseconds). An upload is ingested; a deletion needs nothing (the chunks went with the
 * document). A record that is not a readable {@code DocumentChanged} is dead-lettered at once.
 */
@Component
class DocumentListener {

	private final EventCodec events;

	private final DocumentIngestion ingestion;

	DocumentListener(EventCodec events, DocumentIngestion ingestion) {
		this.events = events;
		this.ingestion = ingestion;
	}

	@KafkaListener(topics = "${clara.documents.changes-topic}", containerFactory = DocumentsConfiguration.FACTORY,
			batch = "false")
	void onChange(ConsumerRecord<String, String> record) throws IOException, InterruptedException {
		EventEnvelope<DocumentChanged> envelope;
		try {
			envelope = this.events.fromJson(record.value(), DocumentChanged.class);
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			throw new InvalidEventException("not a readable DocumentChanged event: " + ex.getMessage());
		}
		DocumentChanged change = envelope.payload();
		if (DocumentChanged.UPLOADED.equals(change.operation())) {
			this.ingestion.ingest(change.documentId(), change.version());
		}
	}

}
