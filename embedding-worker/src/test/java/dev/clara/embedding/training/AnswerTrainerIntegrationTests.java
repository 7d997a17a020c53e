package dev.clara.embedding.training;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import com.pgvector.PGvector;
import dev.clara.embedding.EmbeddingWorkerApplication;
import dev.clara.shared.answers.AnswerGroups;
import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.embedding.EmbeddingProvider;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The trainer in a worker in this JVM, on a database and topics of the test's own: events ask
 * for training, a burst trains once, a replay trains nothing, a workspace deleted while it trains
 * stores nothing, and test questions and dismissed gaps take part.
 */
class AnswerTrainerIntegrationTests {

	static TrainerFixture fixture;

	static ConfigurableApplicationContext worker;

	static String model;

	@BeforeAll
	static void start() {
		fixture = new TrainerFixture("answer_trainer");
		List<String> args = new ArrayList<>(fixture.workerArguments());
		args.add("--clara.trainer.quiet=2s");
		args.add("--clara.trainer.max-delay=60s");
		worker = new SpringApplicationBuilder(EmbeddingWorkerApplication.class).run(args.toArray(String[]::new));
		model = worker.getBean(EmbeddingProvider.class).modelId();
		// the model path is calibrated as "confidence = the model's probability" here
		fixture.jdbc.sql("""
				INSERT INTO answer_calibrations (embedding_model, path, phrasings_per_group, a, b, threshold)
				VALUES (:model, 'answer_model', 1, 1, 0, 0.5)""").param("model", model).update();
	}

	@AfterAll
	static void stop() {
		worker.close();
		fixture.close();
	}

	@Test
	void embeddedPairsTrainAModelThatKnowsTheirGroupsAndAnnouncesIt() {
		UUID workspace = fixture.workspace();
		List<float[]> directions = IntStream.range(0, 10).mapToObj(i -> fixture.direction()).toList();
		List<UUID> pairs = fixture.insertPairs(workspace, model, directions, 5, "first");

		fixture.publishEmbedded(workspace, pairs, model);

		await().atMost(Duration.ofSeconds(60)).until(() -> fixture.versions(workspace) == 1);
		var row = fixture.jdbc.sql("""
				SELECT pair_count, group_count, embedding_model, model FROM answer_models WHERE workspace_id = :ws""")
			.param("ws", workspace)
			.query((rs, i) -> new Object[] { rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getBytes(4) })
			.single();
		assertThat(row[0]).isEqualTo(50);
		assertThat(row[1]).isEqualTo(10);
		assertThat(row[2]).isEqualTo(model);
		AnswerModel trained = AnswerModel.fromBytes((byte[]) row[3]);
		for (int g = 0; g < 10; g++) {
			assertThat(trained.predict(fixture.near(directions.get(g), 0.8)).bestGroupId())
				.isEqualTo(AnswerGroups.groupId("first answer " + g));
		}
		assertThat(fixture.jdbc.sql("""
				SELECT payload->'payload'->>'version' FROM outbox_events
				WHERE workspace_id = :ws AND event_type = 'AnswerModelTrained'""")
			.param("ws", workspace)
			.query(String.class)
			.list()).containsExactly("1");

		// when nothing else waits, the model is cross-validated for the owner's health report
		await().atMost(Duration.ofSeconds(60)).until(() -> fixture.jdbc
			.sql("SELECT health IS NOT NULL FROM answer_models WHERE workspace_id = :ws AND version = 1")
			.param("ws", workspace)
			.query(Boolean.class)
			.single());
		String health = fixture.jdbc.sql("SELECT health::text FROM answer_models WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(String.class)
			.single();
		assertThat(health).contains("\"folds\": 5", "\"checked_pairs\": 50", "\"confused_groups\"",
				"\"misplaced_pairs\"");
	}

	@Test
	void aBurstOfEventsTrainsOnceAndAReplayTrainsNothing() throws InterruptedException {
		UUID workspace = fixture.workspace();
		List<float[]> directions = IntStream.range(0, 20).mapToObj(i -> fixture.direction()).toList();
		List<UUID> pairs = fixture.insertPairs(workspace, model, directions, 10, "burst");

		for (int burst = 0; burst < 4; burst++) {
			fixture.publishEmbedded(workspace, pairs.subList(burst * 50, burst * 50 + 50), model);
			Thread.sleep(300); // events of an import arrive over time, each within the quiet period
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> fixture.versions(workspace) == 1 && !fixture.waiting(workspace));
		assertThat(fixture.versions(workspace)).isEqualTo(1);

		fixture.publishEmbedded(workspace, pairs, model);
		await().atMost(Duration.ofSeconds(30)).until(() -> fixture.waiting(workspace));
		await().atMost(Duration.ofSeconds(60)).until(() -> !fixture.waiting(workspace));
		assertThat(fixture.versions(workspace)).as("a replay of the same events stores no new model").isEqualTo(1);
	}

	@Test
	void anImportWhoseVectorsArriveForTwentySecondsTrainsAFewTimesAndEndsWithEveryPair() throws InterruptedException {
		UUID workspace = fixture.workspace();
		List<float[]> directions = IntStream.range(0, 40).mapToObj(i -> fixture.direction()).toList();
		List<UUID> pairs = fixture.insertPairs(workspace, model, directions, 50, "import");
		java.util.Collections.shuffle(pairs, new java.util.Random(3));
		for (int batch = 0; batch < 20; batch++) {
			// as the embedding worker announces an import's vectors: 100 every second
			fixture.publishEmbedded(workspace, pairs.subList(batch * 100, batch * 100 + 100), model);
			Thread.sleep(1000);
		}

		await().atMost(Duration.ofSeconds(90)).until(() -> !fixture.waiting(workspace) && fixture.jdbc
			.sql("SELECT coalesce(max(pair_count), 0) FROM answer_models WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(Integer.class)
			.single() == 2000);
		assertThat(fixture.versions(workspace)).as("training runs for 2,000 pairs arriving over 20 s").isBetween(1L, 3L);
	}

	@Test
	void aWorkspaceDeletedWhileItsModelTrainsGetsNoModelAndTheTrainerGoesOn() {
		MeterRegistry meters = worker.getBean(MeterRegistry.class);
		UUID doomed = fixture.workspace();
		// overlapping groups: training takes seconds, long enough to delete the workspace meanwhile
		List<float[]> directions = IntStream.range(0, 60).mapToObj(i -> fixture.direction()).toList();
		List<UUID> pairs = new ArrayList<>();
		for (int g = 0; g < directions.size(); g++) {
			for (int p = 0; p < 10; p++) {
				pairs.add(fixture.insertPair(doomed, model, "q" + g + "." + p, "doomed " + g,
						fixture.near(directions.get(g), 6.0)));
			}
		}
		double trainedBefore = meters.counter("clara.trainer.models").count();

		fixture.publishEmbedded(doomed, pairs.subList(0, 1), model);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> claimed(doomed));
		fixture.jdbc.sql("DELETE FROM workspaces WHERE id = :ws").param("ws", doomed).update();

		UUID next = fixture.workspace();
		List<UUID> nextPairs = fixture.insertPairs(next, model, directions.subList(0, 3), 3, "next");
		fixture.publishEmbedded(next, nextPairs, model);
		await().atMost(Duration.ofSeconds(120)).until(() -> fixture.versions(next) == 1);
		assertThat(meters.counter("clara.trainer.models").count()).as("only the next workspace's model was stored")
			.isEqualTo(trainedBefore + 1);
		assertThat(fixture.jdbc.sql("SELECT count(*) FROM outbox_events WHERE workspace_id = :ws")
			.param("ws", doomed)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void testQuestionsAreCheckedAgainstEveryModelAndDismissedGapsTeachIt() {
		UUID workspace = fixture.workspace();
		fixture.jdbc.sql("UPDATE workspaces SET settings = settings || '{\"confidence_threshold\": 0.9}' WHERE id = :ws")
			.param("ws", workspace)
			.update();
		List<float[]> directions = IntStream.range(0, 5).mapToObj(i -> fixture.direction()).toList();
		List<UUID> pairs = fixture.insertPairs(workspace, model, directions, 6, "tested");
		UUID right = testQuestion(workspace, "a phrasing of answer 0", pairs.get(0), fixture.near(directions.get(0), 0.8));
		UUID wrong = testQuestion(workspace, "worded like answer 2, expects 1", pairs.get(6),
				fixture.near(directions.get(2), 0.8));
		float[] elsewhere = fixture.direction();
		UUID unanswerable = testQuestion(workspace, "something else", null, elsewhere);

		fixture.publishEmbedded(workspace, pairs, model);
		await().atMost(Duration.ofSeconds(60)).until(() -> outcomes(workspace, 1).size() == 3);
		assertThat(outcomes(workspace, 1)).containsExactlyInAnyOrder(right + "=right", wrong + "=wrong_answer",
				unanswerable + "=right");

		UUID gap = fixture.jdbc.sql("""
				INSERT INTO qa_gaps (workspace_id, question, status, question_embedding, embedding_model)
				VALUES (:ws, 'Do you sell cars?', 'dismissed', CAST(:v AS extensions.vector), :model) RETURNING id""")
			.param("ws", workspace)
			.param("v", new PGvector(fixture.near(elsewhere, 0.8)))
			.param("model", model)
			.query(UUID.class)
			.single();
		fixture.jdbc.sql("UPDATE qa_gaps SET teach_out_of_scope = true WHERE id = :id").param("id", gap).update();

		await().atMost(Duration.ofSeconds(60)).until(() -> outcomes(workspace, 2).size() == 3);
		assertThat(fixture.jdbc.sql("SELECT out_of_scope_count FROM answer_models WHERE workspace_id = :ws AND version = 2")
			.param("ws", workspace)
			.query(Integer.class)
			.single()).isEqualTo(1);
		assertThat(outcomes(workspace, 2)).contains(right + "=right", unanswerable + "=right");
	}

	private static UUID testQuestion(UUID workspace, String question, UUID expected, float[] vector) {
		return fixture.jdbc.sql("""
				INSERT INTO answer_test_questions (workspace_id, question, expected_qa_id, embedding, embedding_model)
				VALUES (:ws, :q, :expected, CAST(:v AS extensions.vector), :model) RETURNING id""")
			.param("ws", workspace)
			.param("q", question)
			.param("expected", expected)
			.param("v", new PGvector(vector))
			.param("model", model)
			.query(UUID.class)
			.single();
	}

	private static List<String> outcomes(UUID workspace, int version) {
		return fixture.jdbc.sql("""
				SELECT test_question_id || '=' || outcome FROM answer_test_results
				WHERE workspace_id = :ws AND model_version = :version""")
			.param("ws", workspace)
			.param("version", version)
			.query(String.class)
			.list();
	}

	private static boolean claimed(UUID workspace) {
		return fixture.jdbc.sql("SELECT count(*) FROM answer_model_requests WHERE workspace_id = :ws AND claimed_until IS NOT NULL")
			.param("ws", workspace)
			.query(Long.class)
			.single() > 0;
	}

}
