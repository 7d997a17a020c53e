package dev.clara.relay.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.EventHeaders;
import dev.clara.shared.events.QaPairChanged;

/**
 * Q&A pair row changes as {@link QaPairChanged} events for the embedding worker. Updates that
 * touched none of question, answer, category and is_active (the embedding worker writing a
 * vector, metadata edits) are not published: nothing a consumer acts on changed, and publishing
 * them would loop. The event id is derived from the change's LSN, table, key and operation, so a
 * change redelivered after a crash carries the same id and consumers deduplicate it.
 */
public final class QaPairEvents {

	public static final String QA_PAIRS_TABLE = "public.qa_pairs";

	private static final String[] CONTENT_COLUMNS = { "question", "answer", "category", "is_active" };

	private final EventCodec codec;

	private final String topic;

	public QaPairEvents(EventCodec codec, String topic) {
		this.codec = codec;
		this.topic = topic;
	}

	/** The record for a change, or null when the change is not published. */
	public ProducerRecord<String, String> toRecord(Change change) {
		QaPairChanged payload;
		Map<String, Object> row = change.row();
		UUID id = Change.uuid(row, "id");
		if (change.isInsert()) {
			Map<String, Object> after = change.after();
			payload = new QaPairChanged(id, QaPairChanged.CREATED, Change.string(after, "question"), null,
					Change.bool(after, "is_active"), Change.string(after, "embedding_model"),
					Change.instant(after, "updated_at"), change.position().lsn());
		}
		else if (change.isUpdate()) {
			if (!contentChanged(change)) {
				return null;
			}
			Map<String, Object> after = change.after();
			String question = Change.string(after, "question");
			if (Change.UNAVAILABLE.equals(question)) {
				question = Change.string(change.before(), "question");
			}
			payload = new QaPairChanged(id, QaPairChanged.UPDATED, question, Change.string(change.before(), "question"),
					Change.bool(after, "is_active"), Change.string(after, "embedding_model"),
					Change.instant(after, "updated_at"), change.position().lsn());
		}
		else if (change.isDelete()) {
			payload = new QaPairChanged(id, QaPairChanged.DELETED, null, null, false, null,
					Change.instant(change.before(), "updated_at"), change.position().lsn());
		}
		else {
			return null;
		}
		UUID workspaceId = Change.uuid(row, "workspace_id");
		UUID eventId = eventId(change.position().lsn(), QA_PAIRS_TABLE, id, change.op());
		return record(new EventEnvelope<>(eventId, QaPairChanged.TYPE, QaPairChanged.VERSION, workspaceId,
				change.commitTime(), payload));
	}

	/** A pair's current state, republished by a replay (recovery or first start). */
	public ProducerRecord<String, String> replayed(UUID id, UUID workspaceId, String question, boolean active,
			String embeddingModel, Instant updatedAt, long consistentLsn) {
		QaPairChanged payload = new QaPairChanged(id, QaPairChanged.UPDATED, question, null, active, embeddingModel,
				updatedAt, consistentLsn);
		UUID eventId = eventId(consistentLsn, QA_PAIRS_TABLE + ":replay", id, "u");
		return record(new EventEnvelope<>(eventId, QaPairChanged.TYPE, QaPairChanged.VERSION, workspaceId,
				updatedAt, payload));
	}

	static boolean contentChanged(Change change) {
		for (String column : CONTENT_COLUMNS) {
			if (change.changed(column)) {
				return true;
			}
		}
		return false;
	}

	/** Deterministic per change: the same change always gets the same id. */
	public static UUID eventId(long lsn, String table, UUID key, String op) {
		return UUID.nameUUIDFromBytes((Lsn.format(lsn) + "|" + table + "|" + key + "|" + op)
			.getBytes(StandardCharsets.UTF_8));
	}

	private ProducerRecord<String, String> record(EventEnvelope<QaPairChanged> envelope) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(EventHeaders.EVENT_ID, envelope.eventId().toString().getBytes(StandardCharsets.UTF_8));
		headers.add(EventHeaders.EVENT_TYPE, envelope.eventType().getBytes(StandardCharsets.UTF_8));
		headers.add(EventHeaders.EVENT_VERSION,
				Integer.toString(envelope.eventVersion()).getBytes(StandardCharsets.UTF_8));
		return new ProducerRecord<>(this.topic, null, envelope.workspaceId().toString(), this.codec.toJson(envelope),
				headers);
	}

}
