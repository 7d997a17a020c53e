package dev.clara.gaps;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.outbox.GapEvents;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.events.DocumentIngested;
import dev.clara.shared.events.EventEnvelope;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A document version that became ready resolves the open gaps of its workspace that one of its
 * passages now answers, by the chat turn's own rule (a question no pair answers is answered from
 * a document when its most similar passage reaches the model's {@code passage_threshold}): a gap
 * closes when a visitor asking it would now get an answer from the document. As for pairs, the
 * event is applied once ({@code processed_events}), gap questions without a vector of the model
 * are embedded before the transaction, and each resolution publishes {@code GapDetected}.
 */
@Component
class DocumentGaps {

	private final TransactionTemplate transactions;

	private final GapRepository gaps;

	private final DocumentGapRepository documents;

	private final GapEmbeddings embeddings;

	private final GapEvents gapEvents;

	private final GapProperties properties;

	DocumentGaps(TransactionTemplate transactions, GapRepository gaps, DocumentGapRepository documents,
			GapEmbeddings embeddings, GapEvents gapEvents, GapProperties properties) {
		this.transactions = transactions;
		this.gaps = gaps;
		this.documents = documents;
		this.embeddings = embeddings;
		this.gapEvents = gapEvents;
		this.properties = properties;
	}

	/** The gaps resolved (empty when the event was seen before, failed, or is stale). */
	List<UUID> closeAnswered(EventEnvelope<DocumentIngested> event) {
		DocumentIngested ingested = event.payload();
		UUID workspace = event.workspaceId();
		String model = ingested.embeddingModel();
		if (this.gaps.isProcessed(this.properties.consumer(), event.eventId())) {
			return List.of();
		}
		boolean usable = DocumentIngested.READY.equals(ingested.status()) && model != null
				&& this.embeddings.canEmbedWith(model);
		List<GapRepository.Unembedded> unembedded = usable ? this.gaps.openWithoutVector(workspace, model) : List.of();
		EmbeddingProvider.Embedded made = unembedded.isEmpty() ? null
				: this.embeddings.embedAll(model, unembedded.stream().map(GapRepository.Unembedded::question).toList());
		return this.transactions.execute(status -> {
			if (!this.gaps.markProcessed(this.properties.consumer(), event.eventId())) {
				return List.of();
			}
			if (!usable) {
				return List.of();
			}
			if (made != null) {
				this.gaps.recordEmbeddingUsage(workspace, model, made.tokens());
			}
			var threshold = this.documents.servingThreshold(workspace, ingested.documentId(), ingested.version(), model);
			if (threshold.isEmpty()) {
				return List.of();
			}
			this.gaps.lockWorkspace(workspace);
			for (int i = 0; i < unembedded.size(); i++) {
				this.gaps.setVector(unembedded.get(i).id(), unembedded.get(i).question(), model,
						made.vectors().get(i));
			}
			List<UUID> closed = new ArrayList<>();
			for (UUID gap : this.documents.answeredGaps(workspace, ingested.documentId(), ingested.version(), model,
					threshold.get())) {
				if (this.documents.resolve(gap, ingested.documentId())) {
					closed.add(gap);
				}
			}
			if (!closed.isEmpty()) {
				this.gapEvents.publish(closed);
			}
			return closed;
		});
	}

}
