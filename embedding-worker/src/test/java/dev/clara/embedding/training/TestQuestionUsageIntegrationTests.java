package dev.clara.embedding.training;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clara.embedding.EmbeddingUsageRepository;
import dev.clara.shared.answers.AnswerDecision.Policy;
import dev.clara.shared.embedding.EmbeddingProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trainer embeds an owner's test questions for the workspace: a billing provider's tokens are
 * recorded once, with the vectors (a later check finds them stored and bills nothing); an
 * in-process provider records nothing.
 */
class TestQuestionUsageIntegrationTests {

	static final String MODEL = "text-embedding-3-small";

	static TrainerFixture fixture;

	@BeforeAll
	static void start() {
		fixture = new TrainerFixture("test_question_usage");
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	@Test
	void aBillingProvidersTokensAreRecordedOnceWithTheVectors() {
		UUID workspace = fixture.workspace();
		FakeProvider provider = new FakeProvider(true);
		TestQuestions questions = testQuestions(provider);
		testQuestion(workspace, "Do you ship abroad?");
		testQuestion(workspace, "Can I pay by invoice?");
		modelVersions(workspace, 1, 2);

		assertThat(questions.check(snapshot(workspace), null, 1)).isEqualTo(2);
		assertThat(questions.check(snapshot(workspace), null, 2)).isEqualTo(2);

		assertThat(provider.calls.get()).isEqualTo(1);
		assertThat(fixture.jdbc.sql("""
				SELECT purpose || ':' || provider || ':' || model || ':' || prompt_tokens || ':' || completion_tokens
				       || ':' || total_tokens FROM api_usage WHERE workspace_id = :ws""")
			.param("ws", workspace)
			.query(String.class)
			.list()).containsExactly("embedding:openai:" + MODEL + ":14:0:14");
	}

	@Test
	void anInProcessProviderRecordsNothing() {
		UUID workspace = fixture.workspace();
		FakeProvider provider = new FakeProvider(false);
		testQuestion(workspace, "Do you ship abroad?");
		modelVersions(workspace, 1);

		assertThat(testQuestions(provider).check(snapshot(workspace), null, 1)).isEqualTo(1);

		assertThat(provider.calls.get()).isEqualTo(1);
		assertThat(fixture.jdbc.sql("SELECT count(*) FROM api_usage WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(Long.class)
			.single()).isZero();
	}

	private static TestQuestions testQuestions(EmbeddingProvider provider) {
		return new TestQuestions(fixture.jdbc, provider,
				new TransactionTemplate(new DataSourceTransactionManager(fixture.database.dataSource())),
				new EmbeddingUsageRepository(fixture.jdbc));
	}

	// no pairs: the answer model does not apply, every question is a gap; only the embedding matters here
	private static TrainingSnapshot snapshot(UUID workspace) {
		return new TrainingSnapshot(workspace, MODEL, new Policy(null, 0.5, null, null), List.of(), List.of());
	}

	/** The model versions the outcomes belong to (their content is not read: no pairs, no model). */
	private static void modelVersions(UUID workspace, int... versions) {
		for (int version : versions) {
			fixture.jdbc.sql("""
					INSERT INTO answer_models (workspace_id, version, embedding_model, model, groups, pair_count, group_count,
					                           fingerprint, iterations, converged, loss, training_ms)
					VALUES (:ws, :version, :model, '\\x00', '[]', 1, 1, :fingerprint, 0, true, 0, 0)""")
				.param("ws", workspace)
				.param("version", version)
				.param("model", MODEL)
				.param("fingerprint", "f" + version)
				.update();
		}
	}

	private static void testQuestion(UUID workspace, String question) {
		fixture.jdbc.sql("INSERT INTO answer_test_questions (workspace_id, question) VALUES (:ws, :q)")
			.param("ws", workspace)
			.param("q", question)
			.update();
	}

	/** Seven tokens per text when billing, as OpenAI reports them; none for an in-process model. */
	private static final class FakeProvider implements EmbeddingProvider {

		final boolean billing;

		final AtomicInteger calls = new AtomicInteger();

		FakeProvider(boolean billing) {
			this.billing = billing;
		}

		@Override
		public String modelId() {
			return MODEL;
		}

		@Override
		public int dimensions() {
			return 1536;
		}

		@Override
		public List<float[]> embedAll(List<String> texts) {
			return embedAllCounted(texts).vectors();
		}

		@Override
		public Embedded embedAllCounted(List<String> texts) {
			this.calls.incrementAndGet();
			List<float[]> vectors = texts.stream().map(text -> {
				float[] vector = new float[1536];
				vector[Math.floorMod(text.hashCode(), vector.length)] = 1;
				return vector;
			}).toList();
			return new Embedded(vectors, this.billing ? 7L * texts.size() : 0);
		}

		@Override
		public boolean billed() {
			return this.billing;
		}

	}

}
