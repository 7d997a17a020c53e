package dev.clara.gaps;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.pgvector.PGvector;
import dev.clara.gaps.GapFixture.Gap;
import dev.clara.gaps.Gaps.Recorded;
import dev.clara.gaps.Gaps.Result;
import dev.clara.outbox.GapEvents;
import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.LocalEmbeddingProvider;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.QuestionAsked;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link QuestionBatches} called directly: a poll's questions in one provider call (outside any
 * transaction) and one transaction, with the effect of applying them one after the other.
 */
class QuestionBatchesIntegrationTests {

	static GapFixture fixture;

	static QuestionBatches batches;

	static final BatchProvider provider = new BatchProvider();

	@BeforeAll
	static void start() {
		fixture = new GapFixture("question_batches");
		DataSource dataSource = fixture.database.dataSource();
		JdbcClient jdbc = JdbcClient.create(dataSource);
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		GapRepository repository = new GapRepository(jdbc);
		GapEmbeddings embeddings = new GapEmbeddings(provider);
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		Gaps gaps = new Gaps(transactions, repository, new GapDecisions(new DecisionRepository(jdbc)),
				new GapEvents(jdbc, new OutboxWriter(jdbc, fixture.codec)), embeddings, GapProperties.defaults(), meters);
		batches = new QuestionBatches(transactions, new QuestionBatchRepository(jdbc), repository, embeddings, gaps,
				meters);
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@BeforeEach
	void forget() {
		provider.calls.clear();
	}

	@Test
	void nearDuplicatesInOneBatchAreOneGapCountedTwiceAndAParaphraseJoinsTheGroupOpenedInTheBatch() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		List<EventEnvelope<QuestionAsked>> batch = List.of(
				fixture.gapQuestion(workspace, conversation, "How much does it cost?", Instant.now()),
				fixture.gapQuestion(workspace, conversation, "  how much does it COST? ", Instant.now()),
				fixture.gapQuestion(workspace, conversation, "What's the price?", Instant.now()),
				fixture.gapQuestion(workspace, conversation, "Do you ship to Norway?", Instant.now()));

		List<Recorded> recorded = batches.record(batch);

		assertThat(recorded).extracting(Recorded::result)
			.containsExactly(Result.OPENED, Result.ASKED_AGAIN, Result.OPENED, Result.OPENED);
		assertThat(provider.calls).as("one call for the batch, outside any transaction, each text once")
			.containsExactly(new Call(3, false));
		List<Gap> rows = fixture.gaps(workspace);
		assertThat(rows).extracting(Gap::question, Gap::askCount)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("How much does it cost?", 2),
					org.assertj.core.groups.Tuple.tuple("What's the price?", 1),
					org.assertj.core.groups.Tuple.tuple("Do you ship to Norway?", 1));
		Gap cost = rows.get(0);
		assertThat(rows.get(1).groupId()).as("the paraphrase joins the group opened earlier in the batch")
			.isEqualTo(cost.id());
		assertThat(rows.get(2).groupId()).as("an unrelated question leads a group of its own").isEqualTo(rows.get(2).id());
		assertThat(rows).extracting(Gap::embeddingModel).containsOnly(GapFixture.MODEL);
		List<GapDetected> events = fixture.events(workspace);
		assertThat(events).as("one event per gap the batch changed, none more for the repeat")
			.extracting(GapDetected::gapId)
			.containsExactlyInAnyOrder(cost.id(), rows.get(1).id(), rows.get(2).id());
		assertThat(events).filteredOn(event -> event.gapId().equals(cost.id()))
			.singleElement()
			.as("as the gap is at the batch's end: asked twice")
			.extracting(GapDetected::askCount)
			.isEqualTo(2);
		assertThat(batch).allSatisfy(event -> assertThat(fixture.processed(event.eventId())).isEqualTo(1));
	}

	@Test
	void aReplayedBatchCountsNothingTwiceAndCallsNoProvider() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		EventEnvelope<QuestionAsked> first = fixture.gapQuestion(workspace, conversation, "Do you have an API?",
				Instant.now());
		EventEnvelope<QuestionAsked> again = fixture.gapQuestion(workspace, conversation, "do you have an api?",
				Instant.now());
		EventEnvelope<QuestionAsked> answered = fixture.answeredQuestion(workspace, conversation, null,
				"When are you open?");
		List<EventEnvelope<QuestionAsked>> batch = List.of(first, again, answered, first);

		assertThat(batches.record(batch)).extracting(Recorded::result)
			.as("the copy of an event in the same batch is a redelivery too")
			.containsExactly(Result.OPENED, Result.ASKED_AGAIN, Result.NOT_A_GAP, Result.ALREADY_PROCESSED);
		assertThat(batches.record(batch)).extracting(Recorded::result)
			.containsExactly(Result.ALREADY_PROCESSED, Result.ALREADY_PROCESSED, Result.NOT_A_GAP,
					Result.ALREADY_PROCESSED);

		assertThat(provider.calls).as("the replay is recognised before any provider call").hasSize(1);
		assertThat(fixture.gaps(workspace)).singleElement().extracting(Gap::askCount).isEqualTo(2);
		assertThat(fixture.events(workspace)).hasSize(1);
		assertThat(fixture.processed(first.eventId())).isEqualTo(1);
		assertThat(fixture.processed(answered.eventId())).as("an answered question writes nothing").isZero();
	}

	@Test
	void aBatchPartlyAppliedBeforeAppliesOnlyTheRestAndEmbedsOnlyWhatHasNoVector() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		EventEnvelope<QuestionAsked> applied = fixture.gapQuestion(workspace, conversation, "Is there a mobile app?",
				Instant.now());
		batches.record(List.of(applied));
		provider.calls.clear();
		EventEnvelope<QuestionAsked> repeat = fixture.gapQuestion(workspace, conversation, "Is there a mobile app?",
				Instant.now());
		EventEnvelope<QuestionAsked> fresh = fixture.gapQuestion(workspace, conversation, "Can I pay by invoice?",
				Instant.now());

		assertThat(batches.record(List.of(applied, repeat, fresh))).extracting(Recorded::result)
			.containsExactly(Result.ALREADY_PROCESSED, Result.ASKED_AGAIN, Result.OPENED);

		assertThat(provider.calls).as("the open gap has its vector: only the new question is embedded")
			.containsExactly(new Call(1, false));
		assertThat(fixture.gaps(workspace)).extracting(Gap::question, Gap::askCount)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("Is there a mobile app?", 2),
					org.assertj.core.groups.Tuple.tuple("Can I pay by invoice?", 1));
	}

	@Test
	void questionsOfADeletedWorkspaceAreClaimedAndWriteNoGap() {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		EventEnvelope<QuestionAsked> ofNobody = fixture.gapQuestion(UUID.randomUUID(), UUID.randomUUID(),
				"A question of a deleted workspace", Instant.now());
		EventEnvelope<QuestionAsked> real = fixture.gapQuestion(workspace, conversation, "Do you have gift cards?",
				Instant.now());

		assertThat(batches.record(List.of(ofNobody, real))).extracting(Recorded::result)
			.containsExactly(Result.UNKNOWN_WORKSPACE, Result.OPENED);

		assertThat(fixture.processed(ofNobody.eventId())).isEqualTo(1);
		assertThat(fixture.gaps(workspace)).extracting(Gap::question).containsExactly("Do you have gift cards?");
	}

	@Test
	void aTextEmbeddedLatelyIsNotEmbeddedAgainForAnotherWorkspace() {
		UUID first = fixture.workspace();
		UUID second = fixture.workspace();
		batches.record(List.of(fixture.gapQuestion(first, fixture.conversation(first), "Do you offer refunds?",
				Instant.now())));

		assertThat(batches.record(List.of(fixture.gapQuestion(second, fixture.conversation(second),
				"Do you offer refunds?", Instant.now())))).extracting(Recorded::result).containsExactly(Result.OPENED);

		assertThat(provider.calls).as("the second workspace's gap takes the vector made for the first")
			.containsExactly(new Call(1, false));
		assertThat(fixture.gaps(second)).singleElement()
			.satisfies(gap -> assertThat(gap.embeddingModel()).isEqualTo(GapFixture.MODEL));
		assertThat(vectorOf(fixture.gaps(second).get(0).id())).isEqualTo(vectorOf(fixture.gaps(first).get(0).id()));
	}

	@Test
	void aQuestionCarryingTheChatTurnsVectorIsNotEmbeddedAgainAndItsGapKeepsThatVector() throws Exception {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		// not the model's vector of the text: the gap must show the one the event carried
		float[] carried = vectorOfAnotherText();

		assertThat(batches.record(List.of(fixture.gapQuestion(workspace, conversation, "Do you sell vouchers?",
				Instant.now(), GapFixture.MODEL, carried))))
			.extracting(Recorded::result)
			.containsExactly(Result.OPENED);

		assertThat(provider.calls).as("the event brought its vector: no provider call").isEmpty();
		assertThat(floatsOf(fixture.gaps(workspace).get(0).id())).containsExactly(carried);
	}

	@Test
	void aCarriedVectorOfAnotherModelOrSizeIsIgnoredAndTheQuestionEmbeddedHere() throws Exception {
		UUID workspace = fixture.workspace();
		UUID conversation = fixture.conversation(workspace);
		float[] other = vectorOfAnotherText();

		batches.record(List.of(
				fixture.gapQuestion(workspace, conversation, "Do you rent bikes?", Instant.now(),
						LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q, other),
				fixture.gapQuestion(workspace, conversation, "Do you repair bikes?", Instant.now(), GapFixture.MODEL,
						new float[] { 0.6f, 0.8f })));

		assertThat(provider.calls).as("both embedded here, in one call").containsExactly(new Call(2, false));
		List<Gap> gaps = fixture.gaps(workspace);
		assertThat(floatsOf(gaps.get(0).id())).containsExactly(provider.embedAll(List.of("Do you rent bikes?")).get(0));
		assertThat(floatsOf(gaps.get(1).id())).containsExactly(provider.embedAll(List.of("Do you repair bikes?")).get(0));
	}

	/** A vector of the fixture's model that is not that of any question asked here; no call recorded. */
	private static float[] vectorOfAnotherText() {
		float[] vector = provider.embedAll(List.of("Something else entirely")).get(0);
		provider.calls.clear();
		return vector;
	}

	private static float[] floatsOf(UUID gap) throws java.sql.SQLException {
		return new PGvector(vectorOf(gap)).toArray();
	}

	private static String vectorOf(UUID gap) {
		return fixture.jdbc.sql("SELECT question_embedding::text FROM qa_gaps WHERE id = :id")
			.param("id", gap)
			.query(String.class)
			.single();
	}

	/** One provider call: how many texts, and whether a transaction was open on the calling thread. */
	record Call(int texts, boolean inTransaction) {
	}

	/** The fixture's model, recording every call. */
	static final class BatchProvider implements EmbeddingProvider {

		final List<Call> calls = new ArrayList<>();

		@Override
		public String modelId() {
			return GapFixture.MODEL;
		}

		@Override
		public int dimensions() {
			return fixture.provider.dimensions();
		}

		@Override
		public List<float[]> embedAll(List<String> texts) {
			this.calls.add(new Call(texts.size(), TransactionSynchronizationManager.isActualTransactionActive()));
			return fixture.provider.embedAll(texts);
		}

	}

}
