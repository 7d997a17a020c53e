package dev.clara.gaps;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.clara.gaps.GapFixture.Gap;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.QuestionAsked;
import dev.clara.testing.LocalKafka;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The questions listener takes a poll at a time: poison records in the middle of a batch go to the
 * dead-letter topic once, while every good record around them is applied exactly once. The records
 * are on the topic (one partition: one workspace's key) before the detector starts, so that its
 * first poll holds them all.
 */
class QuestionListenerIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	static GapFixture fixture;

	@BeforeAll
	static void start() {
		fixture = new GapFixture("question_listener");
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void poisonInTheMiddleOfABatchIsDeadLetteredOnceAndTheRecordsAroundItAreAppliedOnce() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		String key = workspace.toString();
		EventEnvelope<QuestionAsked> api = fixture.gapQuestion(workspace, conversation, "Do you have an API?",
				Instant.now());
		EventEnvelope<QuestionAsked> app = fixture.gapQuestion(workspace, conversation, "Is there a mobile app?",
				Instant.now());
		EventEnvelope<QuestionAsked> apiAgain = fixture.gapQuestion(workspace, conversation, "do you have an API?",
				Instant.now());
		EventEnvelope<QuestionAsked> invoice = fixture.gapQuestion(workspace, conversation, "Can I pay by invoice?",
				Instant.now());
		EventEnvelope<QuestionAsked> last = fixture.gapQuestion(workspace, conversation, "Do you have gift cards?",
				Instant.now());
		fixture.publish(fixture.questions, api);
		fixture.publish(fixture.questions, app);
		fixture.publishRaw(fixture.questions, key, "{this is not json", UUID.randomUUID().toString(), "QuestionAsked");
		fixture.publish(fixture.questions, apiAgain);
		fixture.publish(fixture.questions, invoice);
		fixture.publish(fixture.questions, fixture.gapQuestion(workspace, conversation, "   ", Instant.now()));
		fixture.publish(fixture.questions, last);

		ConfigurableApplicationContext detector = new SpringApplicationBuilder(GapDetectorApplication.class)
			.run(fixture.detectorArguments("gap-detector-" + UUID.randomUUID()).toArray(String[]::new));
		try {
			List<ConsumerRecord<String, String>> dead = LocalKafka.readAll(fixture.questions + "-dlt", 2, WAIT);
			await().atMost(WAIT).until(() -> fixture.processed(last.eventId()) == 1);

			assertThat(dead).hasSize(2);
			assertThat(dead).extracting(r -> LocalKafka.header(r, "kafka_dlt-exception-message"))
				.anySatisfy(reason -> assertThat(reason).contains("not valid JSON"))
				.anySatisfy(reason -> assertThat(reason).contains("blank question"));
			assertThat(dead).allSatisfy(record -> assertThat(record.key()).isEqualTo(key));
			assertThat(fixture.gaps(workspace)).extracting(Gap::question, Gap::askCount)
				.as("the records before, between and after the poison, each counted once")
				.containsExactly(tuple("Do you have an API?", 2), tuple("Is there a mobile app?", 1),
						tuple("Can I pay by invoice?", 1), tuple("Do you have gift cards?", 1));
			assertThat(List.of(api, app, apiAgain, invoice, last))
				.allSatisfy(event -> assertThat(fixture.processed(event.eventId())).isEqualTo(1));
			assertThat(detector.getBean(MeterRegistry.class).counter("clara.gaps.redelivered").count())
				.as("no record was delivered again: those before a poison record were committed with it")
				.isZero();
			// one event per new gap, in the order of the gaps' ids, not of the asks: a poll publishes at its end
			assertThat(fixture.events(workspace)).extracting(GapDetected::question)
				.containsExactlyInAnyOrder("Do you have an API?", "Is there a mobile app?", "Can I pay by invoice?",
						"Do you have gift cards?");
		}
		finally {
			detector.close();
		}
	}

}
