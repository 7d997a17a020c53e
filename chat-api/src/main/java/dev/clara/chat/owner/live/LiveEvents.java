package dev.clara.chat.owner.live;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import dev.clara.shared.events.AnswerModelTrained;
import dev.clara.shared.events.AnswerRated;
import dev.clara.shared.events.DocumentChanged;
import dev.clara.shared.events.DocumentIngested;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.EventHeaders;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.ImportProgressed;
import dev.clara.shared.events.InvalidEventException;
import dev.clara.shared.events.QaPairChanged;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.shared.events.QuestionAsked;
import dev.clara.shared.events.SpendCapReached;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A topic record → the owner's live event: which event name, and the few fields the dashboard
 * needs to know what to refetch (never the question or answer texts: the dashboard reads those
 * through the owner API, under row-level security). Events are hints, not data.
 */
final class LiveEvents {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** How each event type the topics carry becomes a live event. */
	private final Map<String, Function<String, LiveEvent>> byType = Map.of(
			QaPairChanged.TYPE, json -> event(json, QaPairChanged.class, "pair",
					(pair, data) -> data.put("qa_pair_id", pair.qaPairId()).put("change", pair.operation())),
			QaPairEmbedded.TYPE, json -> event(json, QaPairEmbedded.class, "pair",
					(pair, data) -> data.put("qa_pair_id", pair.qaPairId()).put("change", "embedded")),
			GapDetected.TYPE, json -> event(json, GapDetected.class, "gap",
					(gap, data) -> data.put("gap_id", gap.gapId())
						.put("group_id", gap.groupId())
						.put("status", gap.status())
						.put("resolved_automatically", gap.resolvedAutomatically())
						.put("ask_count", gap.askCount())),
			QuestionAsked.TYPE, json -> event(json, QuestionAsked.class, "question",
					(question, data) -> data.put("conversation_id", question.conversationId())
						.put("gap_detected", question.gapDetected())),
			ImportProgressed.TYPE, json -> event(json, ImportProgressed.class, "import",
					(progress, data) -> data.put("import_id", progress.importId())
						.put("status", progress.status())
						.put("processed_rows", progress.processedRows())
						.put("total_rows", progress.totalRows())),
			AnswerModelTrained.TYPE, json -> event(json, AnswerModelTrained.class, "answer-model",
					(model, data) -> data.put("version", model.version())),
			AnswerRated.TYPE, json -> event(json, AnswerRated.class, "feedback",
					(rating, data) -> data.put("rating", rating.rating())),
			SpendCapReached.TYPE, json -> event(json, SpendCapReached.class, "spend-cap",
					(cap, data) -> data.put("month", cap.month())
						.put("budget", cap.budget())
						.put("tokens", cap.tokens())),
			// an upload or a new version is pending until the worker takes it; the deletion says so
			DocumentChanged.TYPE, json -> event(json, DocumentChanged.class, "document",
					(change, data) -> data.put("document_id", change.documentId())
						.put("change", change.operation())
						.put("version", change.version())
						.put("status", DocumentChanged.DELETED.equals(change.operation()) ? "deleted" : "pending")),
			// the outcome: the owner's reason of a failure is no visitor text, and the screen shows it as such
			DocumentIngested.TYPE, json -> event(json, DocumentIngested.class, "document",
					(ingested, data) -> data.put("document_id", ingested.documentId())
						.put("change", "ingested")
						.put("version", ingested.version())
						.put("status", ingested.status())
						.put("chunk_count", ingested.chunkCount())
						.put("failure_reason", ingested.failureReason())));

	private final EventCodec codec;

	LiveEvents(EventCodec codec) {
		this.codec = codec;
	}

	/**
	 * The workspace a record is for, from its key (every topic is keyed by workspace id), so that
	 * records of workspaces nobody watches here are skipped unread; empty when the key is not one.
	 */
	static Optional<UUID> keyedWorkspace(ConsumerRecord<String, String> record) {
		String key = record.key();
		if (key == null || key.length() != 36) {
			return Optional.empty();
		}
		try {
			return Optional.of(UUID.fromString(key));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The live event of {@code record}; empty for an event type the dashboard does not show.
	 * @throws InvalidEventException when the record is not a readable event (poison)
	 */
	Optional<LiveEvent> of(ConsumerRecord<String, String> record) {
		String type = type(record);
		Function<String, LiveEvent> mapping = this.byType.get(type);
		return mapping == null ? Optional.empty() : Optional.of(mapping.apply(record.value()));
	}

	private static String type(ConsumerRecord<String, String> record) {
		Header header = record.headers().lastHeader(EventHeaders.EVENT_TYPE);
		if (header != null) {
			return new String(header.value(), StandardCharsets.UTF_8);
		}
		// a record without the header (written by hand, an older producer): the envelope says
		if (record.value() == null) {
			throw new InvalidEventException("Event is empty");
		}
		try {
			JsonNode type = JSON.readTree(record.value()).path("event_type");
			if (!type.isString()) {
				throw new InvalidEventException("Missing required property 'event_type'");
			}
			return type.stringValue();
		}
		catch (JacksonException ex) {
			throw new InvalidEventException("Event is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	private interface Fields<P> {

		void add(P payload, Data data);

	}

	/** The data object, in the order the fields are put. */
	static final class Data {

		private final Map<String, Object> fields = new LinkedHashMap<>();

		Data put(String name, Object value) {
			this.fields.put(name, value instanceof UUID id ? id.toString() : value);
			return this;
		}

	}

	private <P> LiveEvent event(String json, Class<P> type, String name, Fields<P> fields) {
		EventEnvelope<P> envelope = this.codec.fromJson(json, type);
		Data data = new Data().put("workspace_id", envelope.workspaceId());
		fields.add(envelope.payload(), data);
		return new LiveEvent(envelope.workspaceId(), name, JSON.writeValueAsString(data.fields));
	}

}
