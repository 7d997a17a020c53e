package dev.clara.embedding.documents;

import java.time.Duration;

import dev.clara.embedding.BackfillStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The documents' part of the worker's backfill (start-up and {@code POST /backfill}): chunks of
 * serving versions without a vector of the current model (a model switch stages them, so the
 * backfill can then move the workspace), and versions whose ingestion stopped — a version left
 * pending or processing for {@code clara.documents.stalled-after} (15 minutes; its event went to the dead-letter topic, the provider
 * refused for a while) is ingested again; every step of an ingestion is safe to repeat.
 */
@Component
class DocumentBackfill implements BackfillStep {

	private static final Logger log = LoggerFactory.getLogger(DocumentBackfill.class);

	private final IngestionRepository repository;

	private final DocumentIngestion ingestion;

	private final Duration stalledAfter;

	DocumentBackfill(IngestionRepository repository, DocumentIngestion ingestion, DocumentProperties properties) {
		this.repository = repository;
		this.ingestion = ingestion;
		this.stalledAfter = properties.stalledAfter();
	}

	@Override
	public long embedMissing(String model) {
		long written = 0;
		for (IngestionRepository.Version version : this.repository.versionsMissingVectors(model)) {
			written += this.ingestion.embedPending(version.documentId(), version.version());
		}
		for (IngestionRepository.Version stalled : this.repository.stalledVersions(this.stalledAfter)) {
			try {
				DocumentIngestion.Outcome outcome = this.ingestion.ingest(stalled.documentId(), stalled.version());
				log.info("backfill: document {} v{} {}", stalled.documentId(), stalled.version(), outcome);
			}
			catch (java.io.IOException ex) {
				log.warn("backfill: document {} v{} not ingested: {}", stalled.documentId(), stalled.version(),
						ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		if (written > 0) {
			log.info("backfill: {} document chunks embedded with {}", written, model);
		}
		return written;
	}

}
