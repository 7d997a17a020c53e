package dev.clara.gaps;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.clara.gaps.GapFixture.Gap;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.QaPairEmbedded;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One gap detector in this JVM, consuming topics of the test's own against a database of its own:
 * how a pair that answers an open gap closes it (automatically, with its best answer, whichever
 * arrives first: the question or the pair's vector) and that the owner's reopening sticks. How
 * questions become gaps is in {@link GapDetectorIntegrationTests}.
 */
class GapDetectorClosingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	static GapFixture fixture;

	static ConfigurableApplicationContext detector;

	@BeforeAll
	static void start() {
		fixture = new GapFixture("gap_detector_closing");
		detector = new SpringApplicationBuilder(GapDetectorApplication.class)
			.run(fixture.detectorArguments("gap-detector-" + UUID.randomUUID()).toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		detector.close();
		fixture.close();
	}

	@Test
	void aNewPairClosesTheOpenGapsItAnswersAndAnUnrelatedPairClosesNothing() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		for (String question : List.of("Can I pay by invoice?", "Do you ship to Norway?",
				"Do you accept payment by invoice?")) {
			fixture.publish(fixture.questions, fixture.gapQuestion(workspace, conversation, question, Instant.now()));
		}
		await().atMost(WAIT).until(() -> fixture.gaps(workspace).size() == 3);
		UUID hours = fixture.embeddedPair(workspace, "What are your opening hours?");
		EventEnvelope<QaPairEmbedded> unrelated = fixture.embedded(workspace, hours, "What are your opening hours?");
		fixture.publish(fixture.pairsEmbedded, unrelated);
		await().atMost(WAIT).until(() -> fixture.processed(unrelated.eventId()) == 1);
		assertThat(fixture.gaps(workspace)).extracting(Gap::status).containsOnly("open");

		UUID invoice = fixture.embeddedPair(workspace, "Can I pay with an invoice?");
		EventEnvelope<QaPairEmbedded> answer = fixture.embedded(workspace, invoice, "Can I pay with an invoice?");
		fixture.publish(fixture.pairsEmbedded, answer);
		await().atMost(WAIT).until(() -> fixture.processed(answer.eventId()) == 1);

		List<Gap> rows = fixture.gaps(workspace);
		assertThat(rows).filteredOn(gap -> gap.question().contains("invoice")).hasSize(2).allSatisfy(gap -> {
			assertThat(gap.status()).isEqualTo("resolved");
			assertThat(gap.resolvedQaId()).isEqualTo(invoice);
			assertThat(gap.resolvedAutomatically()).isTrue();
		});
		assertThat(rows).filteredOn(gap -> gap.question().contains("Norway")).singleElement().satisfies(gap -> {
			assertThat(gap.status()).isEqualTo("open");
			assertThat(gap.resolvedQaId()).isNull();
		});
		List<GapDetected> resolved = fixture.events(workspace).stream().filter(e -> e.status().equals("resolved")).toList();
		assertThat(resolved).hasSize(2).allSatisfy(event -> {
			assertThat(event.resolvedQaId()).isEqualTo(invoice);
			assertThat(event.resolvedAutomatically()).isTrue();
		});
	}

	@Test
	void aGapIsResolvedByItsBestAnswerNotByTheFirstCloseEnoughPair() {
		UUID workspace = fixture.workspace();
		fixture.publish(fixture.questions,
				fixture.gapQuestion(workspace, fixture.conversation(workspace), "Do you ship to Norway?", Instant.now()));
		await().atMost(WAIT).until(() -> fixture.gaps(workspace).size() == 1);
		// an import adds two pairs; the weaker one's event comes first
		UUID sweden = fixture.embeddedPair(workspace, "Do you ship to Sweden?");
		UUID norway = fixture.embeddedPair(workspace, "Do you deliver to Norway?");
		assertThat(similarity("Do you ship to Norway?", "Do you ship to Sweden?"))
			.as("close enough to close the gap on its own (no calibration here: the similarity is the confidence)")
			.isGreaterThanOrEqualTo(modelThreshold());

		EventEnvelope<QaPairEmbedded> weaker = fixture.embedded(workspace, sweden, "Do you ship to Sweden?");
		fixture.publish(fixture.pairsEmbedded, weaker);
		await().atMost(WAIT).until(() -> fixture.processed(weaker.eventId()) == 1);
		assertThat(fixture.gaps(workspace)).singleElement().extracting(Gap::status).isEqualTo("open");

		EventEnvelope<QaPairEmbedded> better = fixture.embedded(workspace, norway, "Do you deliver to Norway?");
		fixture.publish(fixture.pairsEmbedded, better);
		await().atMost(WAIT).until(() -> fixture.processed(better.eventId()) == 1);
		assertThat(fixture.gaps(workspace)).singleElement().satisfies(gap -> {
			assertThat(gap.status()).isEqualTo("resolved");
			assertThat(gap.resolvedQaId()).isEqualTo(norway);
		});
	}

	@Test
	void theOwnerCanReopenAnAutomaticallyResolvedGapAndAReplayDoesNotCloseItAgain() throws Exception {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		fixture.publish(fixture.questions,
				fixture.gapQuestion(workspace, conversation, "Can I cancel my subscription?", Instant.now()));
		await().atMost(WAIT).until(() -> fixture.gaps(workspace).size() == 1);
		UUID pair = fixture.embeddedPair(workspace, "Can I cancel my subscription at any time?");
		EventEnvelope<QaPairEmbedded> embedded = fixture.embedded(workspace, pair, "Can I cancel my subscription at any time?");
		fixture.publish(fixture.pairsEmbedded, embedded);
		await().atMost(WAIT).until(() -> fixture.gaps(workspace).get(0).status().equals("resolved"));
		UUID gapId = fixture.gaps(workspace).get(0).id();

		// the owner disagrees: as the owner, through row-level security, the way the owner API will
		asOwner(workspace, "UPDATE qa_gaps SET status = 'open' WHERE id = ?", gapId);
		assertThat(fixture.gap(gapId).status()).isEqualTo("open");

		fixture.publish(fixture.pairsEmbedded, embedded); // redelivered
		fixture.publish(fixture.questions,
				fixture.gapQuestion(workspace, conversation, "can i cancel my subscription?", Instant.now()));
		await().atMost(WAIT).until(() -> fixture.gap(gapId).askCount() == 2);
		Gap gap = fixture.gap(gapId);
		assertThat(gap.status()).isEqualTo("open");
		assertThat(fixture.gaps(workspace)).hasSize(1);
		// a new embedding event of the pair the owner rejected does not close it either
		EventEnvelope<QaPairEmbedded> again = fixture.embedded(workspace, pair, "Can I cancel my subscription at any time?");
		fixture.publish(fixture.pairsEmbedded, again);
		await().atMost(WAIT).until(() -> fixture.processed(again.eventId()) == 1);
		assertThat(fixture.gap(gapId).status()).isEqualTo("open");
	}

	@Test
	void aQuestionAskedBeforeItsAnswerWasEmbeddedIsResolvedAsSoonAsItIsRecorded() {
		UUID workspace = fixture.workspace();
		// the pair got its vector after the chat answered but before the question event was consumed
		UUID pair = fixture.embeddedPair(workspace, "Do you offer a student discount?");
		fixture.publish(fixture.questions, fixture.gapQuestion(workspace, fixture.conversation(workspace),
				"Do you have a student discount?", Instant.now()));

		await().atMost(WAIT).until(() -> fixture.gaps(workspace).size() == 1);

		assertThat(fixture.gaps(workspace)).singleElement().satisfies(gap -> {
			assertThat(gap.status()).isEqualTo("resolved");
			assertThat(gap.resolvedQaId()).isEqualTo(pair);
			assertThat(gap.resolvedAutomatically()).isTrue();
		});
		assertThat(fixture.events(workspace)).singleElement().satisfies(event -> {
			assertThat(event.status()).isEqualTo("resolved");
			assertThat(event.resolvedQaId()).isEqualTo(pair);
		});
	}

	@Test
	void aGapStoredWithoutAVectorGetsOneAndIsClosedByThePairThatAnswersIt() {
		UUID workspace = fixture.workspace();
		// for example recorded while the embedding provider was down
		UUID gapId = fixture.jdbc
			.sql("INSERT INTO qa_gaps (workspace_id, question) VALUES (:ws, 'Is my data encrypted?') RETURNING id")
			.param("ws", workspace)
			.query(UUID.class)
			.single();
		UUID pair = fixture.embeddedPair(workspace, "Is my data encrypted at rest?");
		fixture.publish(fixture.pairsEmbedded, fixture.embedded(workspace, pair, "Is my data encrypted at rest?"));

		await().atMost(WAIT).until(() -> fixture.gap(gapId).status().equals("resolved"));
		assertThat(fixture.gap(gapId).embeddingModel()).isEqualTo(GapFixture.MODEL);
		assertThat(fixture.gap(gapId).resolvedQaId()).isEqualTo(pair);
	}

	private static double similarity(String a, String b) {
		return dev.clara.shared.embedding.Vectors.dot(fixture.provider.embed(a), fixture.provider.embed(b));
	}

	/** Runs one statement as the workspace's owner, with the JWT claims PostgREST would set. */
	private static void asOwner(UUID workspace, String sql, UUID parameter) throws Exception {
		UUID owner = fixture.jdbc.sql("SELECT owner_id FROM workspaces WHERE id = :ws")
			.param("ws", workspace)
			.query(UUID.class)
			.single();
		try (Connection connection = fixture.database.connectAsSuperuser()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET LOCAL ROLE authenticated");
				statement.execute("SELECT set_config('request.jwt.claims', '{\"sub\":\"" + owner
						+ "\",\"role\":\"authenticated\"}', true)");
			}
			try (PreparedStatement update = connection.prepareStatement(sql)) {
				update.setObject(1, parameter);
				assertThat(update.executeUpdate()).isEqualTo(1);
			}
			connection.commit();
		}
	}

	private double modelThreshold() {
		return fixture.jdbc.sql("SELECT confidence_threshold FROM embedding_models WHERE id = :id")
			.param("id", GapFixture.MODEL)
			.query(Double.class)
			.single();
	}

}
