package dev.clara.shared.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Sample events shared by the codec and schema tests. */
final class EventSamples {

	static final UUID WORKSPACE = UUID.fromString("6f1c2e4a-8b3d-4c5e-9f7a-0b1c2d3e4f50");

	static final Instant OCCURRED = Instant.parse("2025-01-31T12:00:00.123456Z");

	private EventSamples() {
	}

	static QuestionAsked questionAsked() {
		return new QuestionAsked(UUID.fromString("a1b2c3d4-0000-4000-8000-000000000001"),
				UUID.fromString("a1b2c3d4-0000-4000-8000-000000000002"), "Do you ship to Norway?",
				"I'm not sure about that. You can reach us at hello@example.com.", null, 0.31, 0.75, true,
				"all-minilm-l6-v2-q", Instant.parse("2025-01-31T11:59:59.900Z"), null,
				new float[] { 0.125f, -0.33f, 0.0078125f, 1.0e-7f });
	}

	static QuestionAsked answeredQuestion() {
		return new QuestionAsked(UUID.randomUUID(), UUID.randomUUID(), "What is the price?", "It costs 10 EUR a month.",
				UUID.randomUUID(), 0.92, 0.75, false, "bge-small-en-v1.5-q", Instant.parse("2025-02-01T08:00:00Z"));
	}

	static GapDetected gapDetected() {
		UUID gap = UUID.fromString("b1b2c3d4-0000-4000-8000-000000000003");
		return new GapDetected(gap, gap, "Do you ship to Norway?", 3, UUID.fromString("c1b2c3d4-0000-4000-8000-000000000004"),
				0.31, null, "open", null, false, Instant.parse("2025-01-31T11:59:59.900Z"));
	}

	static GapDetected resolvedGap() {
		return new GapDetected(UUID.randomUUID(), UUID.randomUUID(), "Can I pay by invoice?", 1, null, 0.12,
				UUID.randomUUID(), "resolved", UUID.randomUUID(), true, Instant.parse("2025-03-01T10:00:00Z"));
	}

	static QaPairChanged qaPairCreated() {
		return new QaPairChanged(UUID.fromString("d1b2c3d4-0000-4000-8000-000000000005"), QaPairChanged.CREATED,
				"Do you ship to Norway?", null, true, null, Instant.parse("2025-01-31T12:00:00Z"), 123456789L);
	}

	static QaPairChanged qaPairDeleted() {
		return new QaPairChanged(UUID.randomUUID(), QaPairChanged.DELETED, null, null, false, null, null, 123456999L);
	}

	static QaPairEmbedded qaPairEmbedded() {
		return new QaPairEmbedded(UUID.fromString("d1b2c3d4-0000-4000-8000-000000000005"), "Do you ship to Norway?",
				"all-minilm-l6-v2-q", Instant.parse("2025-01-31T12:00:01Z"));
	}

	static AnswerModelTrained answerModelTrained() {
		return new AnswerModelTrained(3, "bge-small-en-v1.5-q", 15000, 150, 12, 41, 23456,
				Instant.parse("2025-01-31T12:05:00Z"));
	}

	static AnswerRated answerRatedDown() {
		return new AnswerRated(UUID.fromString("a1b2c3d4-0000-4000-8000-000000000001"),
				UUID.fromString("a1b2c3d4-0000-4000-8000-000000000006"), "What is the price?",
				"It costs 10 EUR a month.", List.of(UUID.fromString("d1b2c3d4-0000-4000-8000-000000000005")), 0.91,
				AnswerRated.DOWN, "That is last year's price.", Instant.parse("2025-01-31T12:00:00Z"));
	}

	static AnswerRated answerRatedUp() {
		return new AnswerRated(UUID.randomUUID(), UUID.randomUUID(), "How much is it?", "It costs 10 EUR a month.",
				List.of(), 0.0, AnswerRated.UP, null, Instant.parse("2025-02-01T08:00:00Z"));
	}

	static SpendCapReached spendCapReached() {
		return new SpendCapReached("2025-01", 300, 405, Instant.parse("2025-01-31T12:06:00Z"));
	}

	static DocumentChanged documentUploaded() {
		return new DocumentChanged(UUID.fromString("a1b2c3d4-0000-4000-8000-0000000000d1"), DocumentChanged.UPLOADED, 2,
				"application/pdf", 123_456);
	}

	static DocumentChanged documentDeleted() {
		return new DocumentChanged(UUID.fromString("a1b2c3d4-0000-4000-8000-0000000000d1"), DocumentChanged.DELETED, 2,
				null, 0);
	}

	static DocumentIngested documentReady() {
		return new DocumentIngested(UUID.fromString("a1b2c3d4-0000-4000-8000-0000000000d1"), 2, DocumentIngested.READY,
				42, "bge-small-en-v1.5-q", null, Instant.parse("2025-01-31T12:07:00Z"));
	}

	static DocumentIngested documentFailed() {
		return new DocumentIngested(UUID.fromString("a1b2c3d4-0000-4000-8000-0000000000d1"), 3, DocumentIngested.FAILED,
				0, null, "The PDF is protected by a password.", Instant.parse("2025-01-31T12:08:00Z"));
	}

	static ImportProgressed importStarted() {
		return new ImportProgressed(UUID.fromString("c1b2c3d4-0000-4000-8000-000000000009"), "running", null, 0, 0, 0, 0,
				Instant.parse("2025-01-31T12:07:00Z"));
	}

	static ImportProgressed importBatch() {
		return new ImportProgressed(UUID.fromString("c1b2c3d4-0000-4000-8000-000000000009"), "running", 1200, 500, 480,
				15, 5, Instant.parse("2025-01-31T12:07:02Z"));
	}

}
