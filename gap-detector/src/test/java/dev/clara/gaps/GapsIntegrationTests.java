package dev.clara.gaps;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.clara.gaps.GapFixture.Gap;
import dev.clara.outbox.GapEvents;
import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.QaPairEmbedded;
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
 * {@link Gaps} called directly, with a provider that records every call: the provider never works
 * inside a transaction, and an event applied before costs no provider call.
 */
class GapsIntegrationTests {

	static GapFixture fixture;

	static Gaps gaps;

	static final WatchedProvider provider = new WatchedProvider();

	@BeforeAll
	static void start() {
		fixture = new GapFixture("gaps");
		// the service's own data source: its transactions are the ones the provider must stay out of
		DataSource dataSource = fixture.database.dataSource();
		JdbcClient jdbc = JdbcClient.create(dataSource);
		gaps = new Gaps(new TransactionTemplate(new DataSourceTransactionManager(dataSource)), new GapRepository(jdbc),
				new GapDecisions(new DecisionRepository(jdbc)), new GapEvents(jdbc, new OutboxWriter(jdbc, fixture.codec)),
				new GapEmbeddings(provider),
				GapProperties.defaults(), new SimpleMeterRegistry());
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@BeforeEach
	void forget() {
		provider.calls.clear();
		provider.tokensPerText = 0;
		provider.whileEmbedding = () -> {
		};
	}

	@Test
	void aRedeliveredQuestionIsRecognisedBeforeAnyProviderCall() {
		UUID workspace = fixture.workspace();
		EventEnvelope<QuestionAsked> event = fixture.gapQuestion(workspace, fixture.conversation(workspace),
				"Can I export invoices as PDF?", Instant.now());

		assertThat(gaps.recordQuestion(event).result()).isEqualTo(Gaps.Result.OPENED);
		assertThat(gaps.recordQuestion(event).result()).isEqualTo(Gaps.Result.ALREADY_PROCESSED);

		assertThat(provider.calls).as("one embedding, outside any transaction").containsExactly(false);
		assertThat(fixture.gaps(workspace)).singleElement().extracting(Gap::askCount).isEqualTo(1);
		assertThat(fixture.processed(event.eventId())).isEqualTo(1);
		assertThat(usage(workspace)).as("an in-process model bills nothing, so nothing is recorded").isEmpty();
	}

	@Test
	void theTokensARemoteProviderBilledAreRecordedOnceWithTheEventTheyServed() {
		provider.tokensPerText = 11;
		UUID workspace = fixture.workspace();
		EventEnvelope<QuestionAsked> event = fixture.gapQuestion(workspace, fixture.conversation(workspace),
				"Do you ship to Norway?", Instant.now());

		assertThat(gaps.recordQuestion(event).result()).isEqualTo(Gaps.Result.OPENED);
		assertThat(gaps.recordQuestion(event).result()).isEqualTo(Gaps.Result.ALREADY_PROCESSED);
		assertThat(usage(workspace)).containsExactly(11L);

		gapWithoutVector(workspace, "Do you ship to Iceland?");
		gapWithoutVector(workspace, "Do you ship to Finland?");
		UUID pair = fixture.embeddedPair(workspace, "Which countries do you ship to?");
		EventEnvelope<QaPairEmbedded> embedded = fixture.embedded(workspace, pair, "Which countries do you ship to?");
		gaps.closeAnswered(embedded);
		gaps.closeAnswered(embedded);

		assertThat(provider.calls).as("the redeliveries call no provider").hasSize(2);
		assertThat(usage(workspace)).as("one row per event: the question, then the two open gaps in one call")
			.containsExactlyInAnyOrder(11L, 22L);
		assertThat(fixture.jdbc.sql("""
				SELECT bool_and(purpose = 'embedding' AND provider = 'openai' AND model = :model AND prompt_tokens = total_tokens)
				FROM api_usage WHERE workspace_id = :ws
				""").param("model", GapFixture.MODEL).param("ws", workspace).query(Boolean.class).single()).isTrue();
	}

	private static List<Long> usage(UUID workspace) {
		return fixture.jdbc.sql("SELECT total_tokens FROM api_usage WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(Long.class)
			.list();
	}

	@Test
	void openGapsAreEmbeddedBeforeTheTransactionAndKeepOnlyVectorsOfTheirCurrentText() {
		UUID workspace = fixture.workspace();
		UUID answered = gapWithoutVector(workspace, "Is my data encrypted?");
		UUID edited = gapWithoutVector(workspace, "Can I pay by invoice?");
		UUID pair = fixture.embeddedPair(workspace, "Is my data encrypted at rest?");
		provider.whileEmbedding = () -> fixture.jdbc
			.sql("UPDATE qa_gaps SET question = 'Can I pay by bank transfer?' WHERE id = :id")
			.param("id", edited)
			.update();
		EventEnvelope<QaPairEmbedded> event = fixture.embedded(workspace, pair, "Is my data encrypted at rest?");

		Gaps.Closed closed = gaps.closeAnswered(event);

		assertThat(provider.calls).as("one batch, outside any transaction").containsExactly(false);
		assertThat(closed.gapIds()).containsExactly(answered);
		assertThat(fixture.gap(answered)).satisfies(gap -> {
			assertThat(gap.status()).isEqualTo("resolved");
			assertThat(gap.resolvedQaId()).isEqualTo(pair);
			assertThat(gap.embeddingModel()).isEqualTo(GapFixture.MODEL);
		});
		assertThat(fixture.gap(edited).embeddingModel()).as("its text changed while it was embedded").isNull();
		assertThat(fixture.events(workspace)).singleElement().extracting(GapDetected::gapId).isEqualTo(answered);

		assertThat(gaps.closeAnswered(event)).isEqualTo(new Gaps.Closed(true, List.of()));
		assertThat(provider.calls).as("the redelivery embeds nothing").hasSize(1);
	}

	private static UUID gapWithoutVector(UUID workspace, String question) {
		return fixture.jdbc.sql("INSERT INTO qa_gaps (workspace_id, question) VALUES (:ws, :q) RETURNING id")
			.param("ws", workspace)
			.param("q", question)
			.query(UUID.class)
			.single();
	}

	/** The fixture's model; records, per call, whether a transaction was open on the calling thread. */
	static final class WatchedProvider implements EmbeddingProvider {

		final List<Boolean> calls = new ArrayList<>();

		Runnable whileEmbedding = () -> {
		};

		/** Above 0: bills like a remote provider, this many tokens per text. */
		long tokensPerText;

		@Override
		public boolean billed() {
			return this.tokensPerText > 0;
		}

		@Override
		public Embedded embedAllCounted(List<String> texts) {
			return new Embedded(embedAll(texts), this.tokensPerText * texts.size());
		}

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
			this.calls.add(TransactionSynchronizationManager.isActualTransactionActive());
			List<float[]> vectors = fixture.provider.embedAll(texts);
			this.whileEmbedding.run();
			return vectors;
		}

	}

}
