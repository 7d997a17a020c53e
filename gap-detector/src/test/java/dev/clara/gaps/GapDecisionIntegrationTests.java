package dev.clara.gaps;

import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import dev.clara.gaps.GapFixture.Gap;
import dev.clara.outbox.GapEvents;
import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.events.GapDetected;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.clara.gaps.SyntheticProvider.at;
import static dev.clara.gaps.SyntheticProvider.axis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Automatic closing is the chat turn's decision, here with nothing measured: no calibration (the
 * migrations set none, so the similarity is its own confidence) and no answer model. A gap closes
 * exactly when the new pair is its nearest and their cosine similarity reaches the workspace's
 * threshold. Vectors are made up ({@link SyntheticProvider}) so each similarity is exact; the
 * workspace answers at 0.80, where the old rule (threshold + margin 0.05, floor 0.60) needed 0.85.
 */
class GapDecisionIntegrationTests {

	private static final double THRESHOLD = 0.80;

	static GapFixture fixture;

	static Gaps gaps;

	static final SyntheticProvider provider = new SyntheticProvider();

	@BeforeAll
	static void start() {
		fixture = new GapFixture("gap_decision");
		DataSource dataSource = fixture.database.dataSource();
		JdbcClient jdbc = JdbcClient.create(dataSource);
		gaps = new Gaps(new TransactionTemplate(new DataSourceTransactionManager(dataSource)), new GapRepository(jdbc),
				new GapDecisions(new DecisionRepository(jdbc)), new GapEvents(jdbc, new OutboxWriter(jdbc, fixture.codec)),
				new GapEmbeddings(provider), GapProperties.defaults(), new SimpleMeterRegistry());
		assertThat(fixture.jdbc.sql("""
				SELECT count(*) FROM answer_calibrations WHERE embedding_model = :model
				""").param("model", GapFixture.MODEL).query(Long.class).single())
			.as("the test model is not calibrated in a freshly migrated database").isZero();
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void aNewPairClosesAGapWhenItsSimilarityReachesTheWorkspacesThresholdAndNotBelow() {
		UUID workspace = workspace();
		UUID gap = gap(workspace, "How long does delivery take?", axis(0));
		UUID below = fixture.pair(workspace, "Delivery times abroad", "Two weeks abroad.", at(0.78, axis(0), 1));

		assertThat(gaps.closeAnswered(fixture.embedded(workspace, below, "Delivery times abroad")).gapIds())
			.as("0.78 is below the threshold 0.80, though it is the nearest pair")
			.isEmpty();
		assertThat(fixture.gap(gap).status()).isEqualTo("open");

		UUID reaches = fixture.pair(workspace, "How long is delivery?", "Three days.", at(0.82, axis(0), 2));
		assertThat(gaps.closeAnswered(fixture.embedded(workspace, reaches, "How long is delivery?")).gapIds())
			.as("0.82 reaches 0.80 (the old rule needed 0.85)")
			.containsExactly(gap);
		assertThat(fixture.gap(gap)).satisfies(row -> {
			assertThat(row.status()).isEqualTo("resolved");
			assertThat(row.resolvedQaId()).isEqualTo(reaches);
			assertThat(row.resolvedAutomatically()).isTrue();
		});
		assertThat(fixture.events(workspace)).extracting(GapDetected::status).containsExactly("open", "resolved");
	}

	@Test
	void aPairAboveTheThresholdClosesNothingWhileAnotherPairIsNearer() {
		UUID workspace = workspace();
		UUID gap = gap(workspace, "Do you ship to Iceland?", axis(0));
		// the nearer pair is stored, its event not consumed yet (an import's events in any order)
		UUID nearer = fixture.pair(workspace, "Do you deliver to Iceland?", "Yes, by air.", at(0.95, axis(0), 1));
		UUID close = fixture.pair(workspace, "Do you ship to Greenland?", "No.", at(0.90, axis(0), 2));

		assertThat(gaps.closeAnswered(fixture.embedded(workspace, close, "Do you ship to Greenland?")).gapIds())
			.as("0.90 reaches the threshold, but the chat would answer with the nearer pair")
			.isEmpty();
		assertThat(gaps.closeAnswered(fixture.embedded(workspace, nearer, "Do you deliver to Iceland?")).gapIds())
			.containsExactly(gap);
		assertThat(fixture.gap(gap).resolvedQaId()).isEqualTo(nearer);
	}

	@Test
	void aPairOfTheNearestPairsAnswerGroupLeavesTheGapToTheNearestPairsOwnEvent() {
		UUID workspace = workspace();
		UUID gap = gap(workspace, "Can I return a gift?", axis(0));
		UUID nearer = fixture.pair(workspace, "Can gifts be returned?", "Yes, within 30 days.", at(0.95, axis(0), 1));
		UUID sameAnswer = fixture.pair(workspace, "Can I return a present?", "  yes, WITHIN 30 days. ",
				at(0.90, axis(0), 2));

		assertThat(gaps.closeAnswered(fixture.embedded(workspace, sameAnswer, "Can I return a present?")).gapIds())
			.as("the gap would be answered by this answer, but through the nearer pair: not this pair's doing")
			.isEmpty();
		assertThat(gaps.closeAnswered(fixture.embedded(workspace, nearer, "Can gifts be returned?")).gapIds())
			.containsExactly(gap);
	}

	@Test
	void aNewGapIsResolvedAtOnceWhenItsNearestPairReachesTheThresholdAndNotBelow() {
		UUID workspace = workspace();
		UUID pair = fixture.pair(workspace, "Do you have a loyalty card?", "Yes, ask at the till.", axis(0));
		provider.define("Is there a loyalty programme?", at(0.82, axis(0), 1));
		provider.define("Do you give points for purchases?", at(0.78, axis(0), 2));

		Gaps.Recorded answered = gaps.recordQuestion(fixture.gapQuestion(workspace, fixture.conversation(workspace),
				"Is there a loyalty programme?", Instant.now()));
		Gaps.Recorded open = gaps.recordQuestion(fixture.gapQuestion(workspace, fixture.conversation(workspace),
				"Do you give points for purchases?", Instant.now()));

		assertThat(answered.resolvedAtOnce()).as("0.82 reaches 0.80 (the old rule needed 0.85)").isTrue();
		assertThat(fixture.gap(answered.gapId())).extracting(Gap::status, Gap::resolvedQaId)
			.containsExactly("resolved", pair);
		assertThat(open.resolvedAtOnce()).as("0.78 is below 0.80").isFalse();
		assertThat(fixture.gap(open.gapId()).status()).isEqualTo("open");
	}

	private static UUID workspace() {
		UUID workspace = fixture.workspace();
		fixture.confidenceThreshold(workspace, THRESHOLD);
		return workspace;
	}

	/** An open gap of the question, embedded as {@code vector}. */
	private static UUID gap(UUID workspace, String question, float[] vector) {
		provider.define(question, vector);
		Gaps.Recorded recorded = gaps.recordQuestion(
				fixture.gapQuestion(workspace, fixture.conversation(workspace), question, Instant.now()));
		assertThat(recorded.result()).isEqualTo(Gaps.Result.OPENED);
		assertThat(recorded.resolvedAtOnce()).isFalse();
		return recorded.gapId();
	}

}
