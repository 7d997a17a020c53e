package dev.clara.gaps;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.clara.gaps.GapFixture.Feedback;
import dev.clara.gaps.GapFixture.Gap;
import dev.clara.shared.events.AnswerRated;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Visitors' ratings ({@code AnswerRated}) through a running gap detector: an answer rated down is a
 * gap of kind {@code feedback} even though the chat answered it with confidence, deduplicated and
 * grouped like the other gaps; an answer rated up changes no gap.
 */
class GapFeedbackIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	static GapFixture fixture;

	static ConfigurableApplicationContext detector;

	static Gaps gaps;

	@BeforeAll
	static void start() {
		fixture = new GapFixture("gap_feedback");
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
	void aDownFromTheTopicIsAFeedbackGapWithTheAnswerAndTheCommentAndAReplayChangesNothing() {
		UUID workspace = fixture.workspace();
		UUID pair = fixture.embeddedPair(workspace, "How much is the Pro plan?");
		EventEnvelope<AnswerRated> down = fixture.rated(workspace, fixture.conversation(workspace), pair,
				"How much is the Pro plan?", AnswerRated.DOWN, "That is last year's price.");

		fixture.publish(fixture.feedback, down);

		await().atMost(WAIT).until(() -> fixture.gaps(workspace).size() == 1);
		Gap gap = fixture.gaps(workspace).get(0);
		assertThat(gap.status()).as("the chat answers it, and that is what was wrong: not resolved").isEqualTo("open");
		assertThat(gap.aiAnswer()).isEqualTo("Here is the answer.");
		assertThat(gap.bestMatchId()).isEqualTo(pair);
		assertThat(gap.similarity()).isEqualTo(0.91);
		assertThat(gap.embeddingModel()).isEqualTo(GapFixture.MODEL);
		assertThat(fixture.feedbackOf(gap.id())).isEqualTo(new Feedback("feedback", "That is last year's price."));
		assertThat(fixture.events(workspace)).singleElement().extracting(GapDetected::gapId).isEqualTo(gap.id());

		assertThat(gaps.recordFeedback(down).result()).isEqualTo(Gaps.Result.ALREADY_PROCESSED);
		assertThat(fixture.gaps(workspace)).singleElement().extracting(Gap::askCount).isEqualTo(1);
		assertThat(fixture.events(workspace)).hasSize(1);
		assertThat(fixture.processed(down.eventId())).isEqualTo(1);
	}

	@Test
	void aDownJoinsTheOpenGapOfTheSameQuestionAndTheGroupOfASimilarOne() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		Gaps.Recorded unanswered = gaps.recordQuestion(
				fixture.gapQuestion(workspace, conversation, "Do you ship to Norway?", Instant.now()));
		assertThat(unanswered.result()).isEqualTo(Gaps.Result.OPENED);

		Gaps.Recorded same = gaps.recordFeedback(fixture.rated(workspace, conversation, null,
				"  do you ship to   NORWAY? ", AnswerRated.DOWN, "You do, I got a parcel last week"));
		assertThat(same.result()).isEqualTo(Gaps.Result.ASKED_AGAIN);
		assertThat(same.gapId()).isEqualTo(unanswered.gapId());
		assertThat(fixture.feedbackOf(unanswered.gapId()))
			.as("the gap keeps its kind and gets the comment")
			.isEqualTo(new Feedback("unanswered", "You do, I got a parcel last week"));

		Gaps.Recorded similar = gaps.recordFeedback(fixture.rated(workspace, conversation, null,
				"Do you deliver to Norway?", AnswerRated.DOWN, null));
		assertThat(similar.result()).isEqualTo(Gaps.Result.OPENED);
		assertThat(similar.joinedGroup()).isTrue();
		assertThat(similar.groupId()).isEqualTo(unanswered.gapId());
		assertThat(fixture.feedbackOf(similar.gapId())).isEqualTo(new Feedback("feedback", null));
		assertThat(fixture.gaps(workspace)).hasSize(2).extracting(Gap::askCount).containsExactly(2, 1);
	}

	@Test
	void aLaterUpChangesNoGap() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		EventEnvelope<AnswerRated> down = fixture.rated(workspace, conversation, null, "Can I pay by invoice?",
				AnswerRated.DOWN, null);
		assertThat(gaps.recordFeedback(down).result()).isEqualTo(Gaps.Result.OPENED);
		AnswerRated first = down.payload();
		EventEnvelope<AnswerRated> up = dev.clara.shared.events.EventCodec.envelope(workspace, Instant.now(),
				new AnswerRated(conversation, first.messageId(), first.question(), first.answer(), List.of(), 0.91,
						AnswerRated.UP, null, Instant.now()));

		assertThat(gaps.recordFeedback(up).result()).isEqualTo(Gaps.Result.RATED_UP);
		assertThat(gaps.recordFeedback(up).result()).isEqualTo(Gaps.Result.ALREADY_PROCESSED);

		assertThat(fixture.gaps(workspace)).singleElement().extracting(Gap::status).isEqualTo("open");
		assertThat(fixture.processed(up.eventId())).isEqualTo(1);
		assertThat(fixture.events(workspace)).hasSize(1);
	}

}
