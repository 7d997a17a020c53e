package dev.clara.chat.owner.live;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.clara.shared.events.AnswerModelTrained;
import dev.clara.shared.events.AnswerRated;
import dev.clara.shared.events.DocumentChanged;
import dev.clara.shared.events.DocumentIngested;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventHeaders;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.ImportProgressed;
import dev.clara.shared.events.InvalidEventException;
import dev.clara.shared.events.QaPairChanged;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.shared.events.QuestionAsked;
import dev.clara.shared.events.SpendCapReached;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each event type the topics carry becomes the contract's live event, with only the fields the dashboard needs. */
class LiveEventsTests {

	private static final UUID WORKSPACE = UUID.fromString("6f1c2e4a-8b3d-4c5e-9f7a-0b1c2d3e4f50");

	private static final UUID ID = UUID.fromString("a1b2c3d4-0000-4000-8000-000000000001");

	private static final Instant AT = Instant.parse("2026-01-31T12:00:00Z");

	private final EventCodec codec = new EventCodec();

	private final LiveEvents events = new LiveEvents(this.codec);

	@Test
	void everyEventTypeBecomesItsLiveEvent() {
		assertThat(live(new QaPairChanged(ID, "updated", "Q?", "Old?", true, null, AT, 42)))
			.isEqualTo(expected("pair", "\"qa_pair_id\":\"" + ID + "\",\"change\":\"updated\""));
		assertThat(live(new QaPairEmbedded(ID, "Q?", "bge-small-en-v1.5-q", AT)))
			.isEqualTo(expected("pair", "\"qa_pair_id\":\"" + ID + "\",\"change\":\"embedded\""));
		assertThat(live(new GapDetected(ID, ID, "Do you ship?", 3, null, 0.2, ID, "resolved", ID, true, AT)))
			.isEqualTo(expected("gap", "\"gap_id\":\"" + ID + "\",\"group_id\":\"" + ID
					+ "\",\"status\":\"resolved\",\"resolved_automatically\":true,\"ask_count\":3"));
		assertThat(live(new QuestionAsked(ID, ID, "Do you ship?", "No.", null, 0.2, 0.67, true, "m", AT)))
			.isEqualTo(expected("question", "\"conversation_id\":\"" + ID + "\",\"gap_detected\":true"));
		assertThat(live(new ImportProgressed(ID, "running", null, 0, 0, 0, 0, AT))).isEqualTo(expected("import",
				"\"import_id\":\"" + ID + "\",\"status\":\"running\",\"processed_rows\":0,\"total_rows\":null"));
		assertThat(live(new AnswerModelTrained(4, "m", 10, 3, 0, 50, 120, AT)))
			.isEqualTo(expected("answer-model", "\"version\":4"));
		assertThat(live(new AnswerRated(ID, ID, "Q?", "A.", List.of(ID), 0.9, "down", "wrong", AT)))
			.isEqualTo(expected("feedback", "\"rating\":\"down\""));
		assertThat(live(new SpendCapReached("2026-01", 300, 405, AT)))
			.isEqualTo(expected("spend-cap", "\"month\":\"2026-01\",\"budget\":300,\"tokens\":405"));
	}

	@Test
	void aDocumentIsPendingWhenUploadedAndReadyOrFailedWhenIngested() {
		assertThat(live(new DocumentChanged(ID, DocumentChanged.UPLOADED, 2, "text/markdown", 120)))
			.isEqualTo(expected("document", "\"document_id\":\"" + ID
					+ "\",\"change\":\"uploaded\",\"version\":2,\"status\":\"pending\""));
		assertThat(live(new DocumentChanged(ID, DocumentChanged.DELETED, 2, null, 0)))
			.isEqualTo(expected("document", "\"document_id\":\"" + ID
					+ "\",\"change\":\"deleted\",\"version\":2,\"status\":\"deleted\""));
		assertThat(live(new DocumentIngested(ID, 2, DocumentIngested.READY, 7, "bge-small-en-v1.5-q", null, AT)))
			.isEqualTo(expected("document", "\"document_id\":\"" + ID + "\",\"change\":\"ingested\",\"version\":2,"
					+ "\"status\":\"ready\",\"chunk_count\":7,\"failure_reason\":null"));
		assertThat(live(new DocumentIngested(ID, 3, DocumentIngested.FAILED, 0, null, "The file is protected by a password.", AT)))
			.isEqualTo(expected("document", "\"document_id\":\"" + ID + "\",\"change\":\"ingested\",\"version\":3,"
					+ "\"status\":\"failed\",\"chunk_count\":0,\"failure_reason\":\"The file is protected by a password.\""));
	}

	@Test
	void theTypeComesFromTheHeaderOrElseTheEnvelope() {
		String json = this.codec.toJson(EventCodec.envelope(WORKSPACE, AT, new AnswerModelTrained(4, "m", 10, 3, 0, 50, 120, AT)));
		ConsumerRecord<String, String> bare = new ConsumerRecord<>("t", 0, 0, WORKSPACE.toString(), json);
		assertThat(this.events.of(bare)).contains(expected("answer-model", "\"version\":4"));
	}

	@Test
	void unknownTypesAreNotShownAndUnreadableRecordsAreRefused() {
		assertThat(this.events.of(record("SomethingNew", "{}"))).isEmpty();
		assertThatThrownBy(() -> this.events.of(record(GapDetected.TYPE, "not json")))
			.isInstanceOf(InvalidEventException.class);
		assertThatThrownBy(() -> this.events.of(record(GapDetected.TYPE, null))).isInstanceOf(InvalidEventException.class);
		String answerModel = this.codec
			.toJson(EventCodec.envelope(WORKSPACE, AT, new AnswerModelTrained(4, "m", 10, 3, 0, 50, 120, AT)));
		// the header says one type, the body is another: refused, not misread
		assertThatThrownBy(() -> this.events.of(record(GapDetected.TYPE, answerModel)))
			.isInstanceOf(InvalidEventException.class);
		assertThatThrownBy(() -> this.events.of(new ConsumerRecord<>("t", 0, 0, "k", "[1]")))
			.isInstanceOf(InvalidEventException.class);
	}

	@Test
	void theKeyNamesTheWorkspaceWhenItIsOne() {
		assertThat(LiveEvents.keyedWorkspace(new ConsumerRecord<>("t", 0, 0, WORKSPACE.toString(), "")))
			.contains(WORKSPACE);
		assertThat(LiveEvents.keyedWorkspace(new ConsumerRecord<>("t", 0, 0, null, ""))).isEmpty();
		assertThat(LiveEvents.keyedWorkspace(new ConsumerRecord<>("t", 0, 0, "conversation-1", ""))).isEmpty();
		assertThat(LiveEvents.keyedWorkspace(new ConsumerRecord<>("t", 0, 0, "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "")))
			.isEmpty();
	}

	private LiveEvent live(Object payload) {
		String type = payload.getClass().getSimpleName();
		Optional<LiveEvent> event = this.events.of(record(type, this.codec.toJson(EventCodec.envelope(WORKSPACE, AT, payload))));
		assertThat(event).as(type).isPresent();
		return event.get();
	}

	private static LiveEvent expected(String name, String fields) {
		return new LiveEvent(WORKSPACE, name, "{\"workspace_id\":\"" + WORKSPACE + "\"," + fields + "}");
	}

	private static ConsumerRecord<String, String> record(String type, String value) {
		ConsumerRecord<String, String> record = new ConsumerRecord<>("t", 0, 0, WORKSPACE.toString(), value);
		record.headers().add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
		return record;
	}

}
