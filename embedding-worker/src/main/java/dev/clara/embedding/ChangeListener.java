package dev.clara.embedding;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.clara.shared.embedding.EmbeddingException;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.InvalidEventException;
import dev.clara.shared.events.QaPairChanged;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Consumes Q&A pair changes in batches. The events only say which pairs to look at: the database
 * says what each pair holds now, so a stale or repeated event costs a lookup, never a wrong vector.
 * The changes topic carries {@code QaPairChanged} alone (this worker's own {@code QaPairEmbedded}
 * has a topic of its own), so any other record on it is poison.
 */
@Component
class ChangeListener {

	private final EventCodec events;

	private final PairEmbeddings pairs;

	private final Embedder embedder;

	private final int batchSize;

	ChangeListener(EventCodec events, PairEmbeddings pairs, Embedder embedder, WorkerProperties properties) {
		this.events = events;
		this.pairs = pairs;
		this.embedder = embedder;
		this.batchSize = properties.batchSize();
	}

	@KafkaListener(topics = "${clara.worker.changes-topic}", batch = "true")
	void onChanges(List<ConsumerRecord<String, String>> records) {
		Set<UUID> candidates = new LinkedHashSet<>();
		Map<Integer, UUID> workspaceOfRecord = new HashMap<>();
		List<QaPairChanged> changes = new ArrayList<>();
		for (int i = 0; i < records.size(); i++) {
			EventEnvelope<QaPairChanged> envelope = parse(records, i);
			workspaceOfRecord.put(i, envelope.workspaceId());
			changes.add(envelope.payload());
		}
		Set<UUID> known = this.pairs.existingWorkspaces(new HashSet<>(workspaceOfRecord.values()));
		for (int i = 0; i < changes.size(); i++) {
			QaPairChanged change = changes.get(i);
			if (!known.contains(workspaceOfRecord.get(i))) {
				// the workspace was deleted after the change (its pairs went with it): nothing to do.
				// Not poison: deleting a workspace publishes a deletion per pair, and retrying each
				// one before dead-lettering it would hold up every other workspace on the partition.
				continue;
			}
			if (!QaPairChanged.DELETED.equals(change.operation()) && change.active()
					&& !this.embedder.model().equals(change.embeddingModel())) {
				candidates.add(change.qaPairId());
			}
			else if (QaPairChanged.UPDATED.equals(change.operation()) && change.active()
					&& change.previousQuestion() != null && !change.previousQuestion().equals(change.question())) {
				// the row may still carry the old text's vector of the current model
				candidates.add(change.qaPairId());
			}
		}
		List<PairEmbeddings.Pending> pending = this.pairs.stillPending(candidates, this.embedder.model());
		for (int from = 0; from < pending.size(); from += this.batchSize) {
			List<PairEmbeddings.Pending> batch = new ArrayList<>(
					pending.subList(from, Math.min(pending.size(), from + this.batchSize)));
			try {
				this.embedder.embed(batch);
			}
			catch (EmbeddingException ex) {
				if (!ex.retryable()) {
					throw new PermanentEmbeddingFailure(ex);
				}
				throw ex;
			}
		}
	}

	private EventEnvelope<QaPairChanged> parse(List<ConsumerRecord<String, String>> records, int index) {
		try {
			return this.events.fromJson(records.get(index).value(), QaPairChanged.class);
		}
		catch (InvalidEventException | IllegalArgumentException | NullPointerException ex) {
			// only this record is poison: it goes to the dead-letter topic, the rest of the batch goes on
			throw new BatchListenerFailedException("not a readable QaPairChanged event: " + ex.getMessage(), ex, index);
		}
	}

	/** The provider refused the batch for good (for example 400): retrying cannot help. */
	static final class PermanentEmbeddingFailure extends RuntimeException {

		PermanentEmbeddingFailure(EmbeddingException cause) {
			super("the embedding provider refused the batch: " + cause.getMessage(), cause);
		}

	}

}
