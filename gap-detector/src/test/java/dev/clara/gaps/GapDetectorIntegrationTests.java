package dev.clara.gaps;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.clara.gaps.GapFixture.Gap;
import dev.clara.outbox.GapEvents;
import dev.clara.shared.embedding.EmbeddingException;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.shared.events.QuestionAsked;
import dev.clara.testing.LocalKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One gap detector in this JVM, consuming topics of the test's own against a database of its own:
 * how it records the questions the chat could not answer (one gap per question, its count, its
 * group, its events) and what it refuses. How new pairs close gaps is in
 * {@link GapDetectorClosingIntegrationTests}.
 */
class GapDetectorIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	static GapFixture fixture;

	static ConfigurableApplicationContext detector;

	static Gaps gaps;

	@BeforeAll
	static void start() {
		fixture = new GapFixture("gap_detector");
		detector = new SpringApplicationBuilder(GapDetectorApplication.class)
			.run(fixture.detectorArguments("gap-detector-" + UUID.randomUUID()).toArray(String[]::new));
		gaps = detector.getBean(Gaps.class);
	}

	@AfterAll
	static void stop() {
		detector.close();
		fixture.close();
	}

	@Test
	void caseAndWhitespaceVariantsOfAQuestionAreOneOpenGapWithTheirCount() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		List<String> variants = List.of("How do I export my data?", "how do i export my data?",
				"  HOW do I   export my data?  ", "How do I\texport\nmy data?");
		for (String variant : variants) {
			fixture.publish(fixture.questions, fixture.gapQuestion(workspace, conversation, variant, Instant.now()));
		}

		await().atMost(WAIT).until(() -> fixture.gaps(workspace).stream().mapToInt(Gap::askCount).sum() == 4);

		List<Gap> rows = fixture.gaps(workspace);
		assertThat(rows).hasSize(1);
		Gap gap = rows.get(0);
		assertThat(gap.question()).isEqualTo("How do I export my data?");
		assertThat(gap.askCount()).isEqualTo(4);
		assertThat(gap.status()).isEqualTo("open");
		assertThat(gap.groupId()).as("a gap that joins no group leads its own").isEqualTo(gap.id());
		assertThat(gap.sessionId()).isEqualTo(conversation);
		assertThat(gap.similarity()).isEqualTo(0.21);
		assertThat(gap.aiAnswer()).startsWith("I don't know");
		assertThat(gap.embeddingModel()).isEqualTo(GapFixture.MODEL);
		List<GapDetected> events = fixture.events(workspace);
		assertThat(events).as("one event when the gap opens, none per repeated ask the same day").hasSize(1);
		GapDetected opened = events.get(0);
		assertThat(opened.gapId()).isEqualTo(gap.id());
		assertThat(opened.groupId()).isEqualTo(gap.id());
		assertThat(opened.status()).isEqualTo("open");
		assertThat(opened.askCount()).isEqualTo(1);
		assertThat(opened.conversationId()).isEqualTo(conversation);
		assertThat(opened.question()).isEqualTo("How do I export my data?");
		assertThat(opened.resolvedQaId()).isNull();
		assertThat(opened.resolvedAutomatically()).isFalse();
	}

	@Test
	void aRedeliveredEventChangesNothing() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		EventEnvelope<QuestionAsked> event = fixture.gapQuestion(workspace, conversation, "Do you have an API?",
				Instant.now());
		for (int i = 0; i < 3; i++) {
			fixture.publish(fixture.questions, event);
		}
		fixture.publish(fixture.questions,
				fixture.gapQuestion(workspace, conversation, "Is there a mobile app?", Instant.now()));

		await().atMost(WAIT).until(() -> fixture.gaps(workspace).size() == 2);

		assertThat(fixture.gaps(workspace)).extracting(Gap::askCount).containsExactly(1, 1);
		assertThat(fixture.events(workspace)).hasSize(2);
		assertThat(fixture.processed(event.eventId())).isEqualTo(1);
		// and once more through the handler itself: the event is known
		assertThat(gaps.recordQuestion(event).result()).isEqualTo(Gaps.Result.ALREADY_PROCESSED);
		assertThat(fixture.gaps(workspace)).extracting(Gap::askCount).containsExactly(1, 1);
	}

	@Test
	void twentySessionsAskingAtOnceMakeOneGapCountedTwentyTimesEvenWhenEveryEventArrivesTwice() throws Exception {
		UUID workspace = fixture.workspace();
		List<EventEnvelope<QuestionAsked>> events = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String variant = (i % 2 == 0 ? "Can I change my plan later?" : "  can I CHANGE my plan   later? ")
					+ " ".repeat(i % 3);
			events.add(fixture.gapQuestion(workspace, fixture.conversation(workspace), variant, Instant.now()));
		}
		ExecutorService pool = Executors.newFixedThreadPool(40);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Gaps.Recorded>> results = new ArrayList<>();
			for (EventEnvelope<QuestionAsked> event : events) {
				for (int copy = 0; copy < 2; copy++) {
					results.add(pool.submit(() -> {
						go.await();
						return gaps.recordQuestion(event);
					}));
				}
			}
			go.countDown();
			List<Gaps.Result> outcomes = new ArrayList<>();
			for (Future<Gaps.Recorded> result : results) {
				outcomes.add(result.get().result());
			}
			assertThat(outcomes).filteredOn(r -> r == Gaps.Result.OPENED).hasSize(1);
			assertThat(outcomes).filteredOn(r -> r == Gaps.Result.ASKED_AGAIN).hasSize(19);
			assertThat(outcomes).filteredOn(r -> r == Gaps.Result.ALREADY_PROCESSED).hasSize(20);
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(fixture.gaps(workspace)).singleElement().satisfies(gap -> {
			assertThat(gap.askCount()).isEqualTo(20);
			assertThat(gap.status()).isEqualTo("open");
		});
		assertThat(fixture.events(workspace)).hasSize(1);
	}

	@Test
	void aParaphraseJoinsTheOpenGapsGroupAndAnUnrelatedQuestionOpensANewOne() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		for (String question : List.of("How much does it cost?", "What's the price?", "Do you ship to Norway?")) {
			fixture.publish(fixture.questions, fixture.gapQuestion(workspace, conversation, question, Instant.now()));
		}

		await().atMost(WAIT).until(() -> fixture.gaps(workspace).size() == 3);

		List<Gap> rows = fixture.gaps(workspace);
		Gap cost = rows.get(0);
		Gap price = rows.get(1);
		Gap norway = rows.get(2);
		assertThat(cost.groupId()).isEqualTo(cost.id());
		assertThat(price.groupId()).as("the paraphrase joins the first gap's group").isEqualTo(cost.id());
		assertThat(norway.groupId()).as("an unrelated question leads a group of its own").isEqualTo(norway.id());
		List<GapDetected> events = fixture.events(workspace);
		// one poll's gaps are announced together, in no particular order
		assertThat(events).extracting(GapDetected::gapId, GapDetected::groupId)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(cost.id(), cost.id()),
					org.assertj.core.groups.Tuple.tuple(price.id(), cost.id()),
					org.assertj.core.groups.Tuple.tuple(norway.id(), norway.id()));
		assertThat(events).extracting(GapDetected::status).containsOnly("open");
	}

	@Test
	void aGapIsRecordedWhenTheEmbeddingProviderFailsAndGetsItsVectorFromALaterAsk() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		EmbeddingProvider down = new EmbeddingProvider() {
			@Override
			public String modelId() {
				return GapFixture.MODEL;
			}

			@Override
			public int dimensions() {
				return 384;
			}

			@Override
			public List<float[]> embedAll(List<String> texts) {
				throw new EmbeddingException("provider unavailable (test)", true);
			}
		};
		Gaps withoutProvider = new Gaps(detector.getBean(TransactionTemplate.class), detector.getBean(GapRepository.class),
				detector.getBean(GapDecisions.class), detector.getBean(GapEvents.class), new GapEmbeddings(down), gaps.properties(), new SimpleMeterRegistry());

		Gaps.Recorded recorded = withoutProvider
			.recordQuestion(fixture.gapQuestion(workspace, conversation, "Do you have a reseller programme?", Instant.now()));

		assertThat(recorded.result()).isEqualTo(Gaps.Result.OPENED);
		assertThat(fixture.gap(recorded.gapId())).satisfies(gap -> {
			assertThat(gap.embeddingModel()).isNull();
			assertThat(gap.groupId()).isEqualTo(gap.id());
		});
		assertThat(fixture.events(workspace)).singleElement().extracting(GapDetected::gapId).isEqualTo(recorded.gapId());

		gaps.recordQuestion(fixture.gapQuestion(workspace, conversation, "do you have a reseller programme?", Instant.now()));

		assertThat(fixture.gap(recorded.gapId())).satisfies(gap -> {
			assertThat(gap.askCount()).isEqualTo(2);
			assertThat(gap.embeddingModel()).isEqualTo(GapFixture.MODEL);
		});
	}

	@Test
	void aRepeatedAskPublishesTheMovedCountOncePerDay() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		Instant day = Instant.parse("2025-03-01T10:00:00Z");
		// one at a time: asks that arrive in one poll are announced once, as the gap is at its end
		for (Duration later : List.of(Duration.ZERO, Duration.ofHours(3), Duration.ofHours(20), Duration.ofHours(21))) {
			EventEnvelope<QuestionAsked> ask = fixture.gapQuestion(workspace, conversation,
					later.toHours() == 20 ? "do you support sso?" : "Do you support SSO?", day.plus(later));
			fixture.publish(fixture.questions, ask);
			await().atMost(WAIT).until(() -> fixture.processed(ask.eventId()) == 1);
		}

		await().atMost(WAIT).until(() -> !fixture.gaps(workspace).isEmpty() && fixture.gaps(workspace).get(0).askCount() == 4);

		assertThat(fixture.events(workspace)).extracting(GapDetected::askCount, GapDetected::lastAskedAt)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(1, day),
					org.assertj.core.groups.Tuple.tuple(3, day.plus(Duration.ofHours(20))));
	}

	@Test
	void answeredQuestionsAndQuestionsOfDeletedWorkspacesWriteNothing() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		UUID pair = fixture.embeddedPair(workspace, "What are your opening hours?");
		EventEnvelope<QuestionAsked> answered = fixture.answeredQuestion(workspace, conversation, pair,
				"When are you open?");
		EventEnvelope<QuestionAsked> ofNobody = fixture.gapQuestion(UUID.randomUUID(), UUID.randomUUID(),
				"A question of a deleted workspace", Instant.now());
		fixture.publish(fixture.questions, answered);
		fixture.publish(fixture.questions, ofNobody);
		EventEnvelope<QuestionAsked> last = fixture.gapQuestion(workspace, conversation, "Do you have gift cards?",
				Instant.now());
		fixture.publish(fixture.questions, last);

		await().atMost(WAIT).until(() -> fixture.processed(last.eventId()) == 1);
		await().atMost(WAIT).until(() -> fixture.processed(ofNobody.eventId()) == 1);

		assertThat(fixture.gaps(workspace)).extracting(Gap::question).containsExactly("Do you have gift cards?");
		assertThat(fixture.processed(answered.eventId())).isZero();
		assertThat(fixture.jdbc.sql("SELECT count(*) FROM qa_gaps WHERE workspace_id = :ws")
			.param("ws", ofNobody.workspaceId())
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void poisonRecordsLandOnceOnTheDeadLetterTopicWithTheirReasonAndThePartitionMovesOn() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		String key = workspace.toString();
		fixture.publishRaw(fixture.questions, key, "{this is not json", UUID.randomUUID().toString(), "QuestionAsked");
		String version2 = fixture.codec.toJson(fixture.gapQuestion(workspace, conversation, "From the future?",
				Instant.now())).replace("\"event_version\":1", "\"event_version\":2");
		fixture.publishRaw(fixture.questions, key, version2, UUID.randomUUID().toString(), "QuestionAsked");
		fixture.publish(fixture.questions, fixture.gapQuestion(workspace, conversation, "   ", Instant.now()));
		// the embedded topic carries QaPairEmbedded alone: a broken one, another type (whatever its
		// header says) and a record without headers are all poison
		fixture.publishRaw(fixture.pairsEmbedded, key, "{\"event_type\":\"QaPairEmbedded\"}",
				UUID.randomUUID().toString(), QaPairEmbedded.TYPE);
		EventEnvelope<QuestionAsked> misrouted = fixture.gapQuestion(workspace, conversation, "Sent to the wrong topic?",
				Instant.now());
		fixture.publishRaw(fixture.pairsEmbedded, key, fixture.codec.toJson(misrouted), misrouted.eventId().toString(),
				QaPairEmbedded.TYPE);
		fixture.publishRaw(fixture.pairsEmbedded, key, "garbage without headers", null, null);
		EventEnvelope<QuestionAsked> after = fixture.gapQuestion(workspace, conversation, "Do you have a status page?",
				Instant.now());
		fixture.publish(fixture.questions, after);

		await().atMost(WAIT).until(() -> fixture.processed(after.eventId()) == 1);
		List<ConsumerRecord<String, String>> deadQuestions = LocalKafka.readAll(fixture.questions + "-dlt", 3, WAIT);
		List<ConsumerRecord<String, String>> deadEmbedded = LocalKafka.readAll(fixture.pairsEmbedded + "-dlt", 3, WAIT);

		assertThat(deadQuestions).hasSize(3);
		assertThat(deadQuestions).extracting(r -> LocalKafka.header(r, "kafka_dlt-exception-message"))
			.anySatisfy(reason -> assertThat(reason).contains("not valid JSON"))
			.anySatisfy(reason -> assertThat(reason).contains("Unsupported version 2"))
			.anySatisfy(reason -> assertThat(reason).contains("blank question"));
		assertThat(deadQuestions).allSatisfy(record -> assertThat(record.key()).isEqualTo(key));
		assertThat(deadEmbedded).hasSize(3);
		assertThat(deadEmbedded).extracting(r -> LocalKafka.header(r, "kafka_dlt-exception-message"))
			.anySatisfy(reason -> assertThat(reason).contains("Missing required property"))
			.anySatisfy(reason -> assertThat(reason)
				.contains("Event type 'QuestionAsked' is not the expected 'QaPairEmbedded'"))
			.anySatisfy(reason -> assertThat(reason).contains("not valid JSON"));
		assertThat(deadEmbedded).allSatisfy(record -> assertThat(record.key()).isEqualTo(key));
		assertThat(fixture.gaps(workspace)).extracting(Gap::question).containsExactly("Do you have a status page?");
	}

}
