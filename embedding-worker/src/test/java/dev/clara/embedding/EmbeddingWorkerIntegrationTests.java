package dev.clara.embedding;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import com.pgvector.PGvector;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.Vectors;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.QaPairChanged;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.testing.LocalKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.clara.testing.LocalKafka.header;
import static dev.clara.testing.LocalKafka.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The worker in this JVM, consuming a topic of the test's own against a database of its own. */
class EmbeddingWorkerIntegrationTests {

	static WorkerFixture fixture;

	static ConfigurableApplicationContext worker;

	static EmbeddingProvider provider;

	@BeforeAll
	static void start() {
		fixture = new WorkerFixture("embedding_worker");
		List<String> args = new ArrayList<>(fixture.workerArguments());
		args.add("--server.port=0");
		args.add("--clara.worker.batch-size=32");
		worker = new SpringApplicationBuilder(EmbeddingWorkerApplication.class).run(args.toArray(String[]::new));
		provider = worker.getBean(EmbeddingProvider.class);
	}

	@AfterAll
	static void stop() {
		worker.close();
		fixture.close();
	}

	@Test
	void fiveHundredNewPairsAreAllEmbeddedByTheCurrentModelAndFoundBySearch() {
		UUID workspace = fixture.workspace();
		List<String> questions = IntStream.range(0, 500)
			.mapToObj(i -> "How do I configure feature number " + i + " of the product?")
			.toList();

		List<UUID> ids = fixture.createPairs(workspace, questions);

		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
			.until(() -> fixture.embedded(workspace, provider.modelId()) == 500);
		for (int i : new int[] { 0, 137, 499 }) {
			UUID best = fixture.jdbc
				.sql("SELECT id FROM search_qa_pairs(:ws, CAST(:v AS extensions.vector), 0.0, 1, :model)")
				.param("ws", workspace)
				.param("v", new PGvector(provider.embed(questions.get(i))))
				.param("model", provider.modelId())
				.query(UUID.class)
				.single();
			assertThat(best).isEqualTo(ids.get(i));
		}
		assertThat(fixture.jdbc.sql("SELECT count(*) FROM outbox_events WHERE workspace_id = :ws"
				+ " AND event_type = 'QaPairEmbedded'").param("ws", workspace).query(Long.class).single())
			.isEqualTo(500);
		assertThat(fixture.jdbc.sql("SELECT count(*) FROM api_usage WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(Long.class)
			.single()).as("an in-process model bills nothing, so nothing is recorded").isZero();
	}

	@Test
	void aQuestionEditedWhileItsOldTextIsEmbeddedEndsWithTheNewTextsVector() {
		UUID workspace = fixture.workspace();
		UUID pair = fixture.jdbc
			.sql("INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (:ws, 'What is the price?', 'x') RETURNING id")
			.param("ws", workspace)
			.query(UUID.class)
			.single();
		PairEmbeddings pairs = worker.getBean(PairEmbeddings.class);
		Embedder embedder = worker.getBean(Embedder.class);
		// the worker has read the old text and is embedding it...
		List<PairEmbeddings.Pending> oldText = pairs.stillPending(List.of(pair), provider.modelId());
		// ...when the owner edits the question and the relay publishes the change
		fixture.editQuestion(workspace, pair, "What is the price?", "Do you support single sign-on?");

		int written = embedder.embed(oldText);

		assertThat(written).as("a vector of text the row no longer holds is not written").isZero();
		await().atMost(Duration.ofSeconds(30)).until(() -> fixture.embedded(workspace, provider.modelId()) == 1);
		String stored = fixture.jdbc.sql("SELECT embedding::text FROM qa_pairs WHERE id = :id")
			.param("id", pair)
			.query(String.class)
			.single();
		assertThat(Vectors.cosine(vector(stored), provider.embed("Do you support single sign-on?")))
			.isGreaterThan(0.999);
	}

	@Test
	void aWorkspaceSearchingWithTheOldModelMovesToTheNewOneAtOnceWhenAllItsPairsAreEmbedded() {
		String oldModel = "bge-small-en-v1.5-q";
		UUID workspace = fixture.workspace();
		List<String> questions = List.of("How much does it cost?", "Can I get a refund?", "Do you integrate with Slack?");
		List<UUID> ids = new ArrayList<>();
		try (var bge = new dev.clara.shared.embedding.LocalEmbeddingProvider(oldModel)) {
			for (String question : questions) {
				ids.add(fixture.jdbc.sql("""
						INSERT INTO qa_pairs (workspace_id, question, answer, embedding, embedding_model, embedded_at)
						VALUES (:ws, :q, 'an answer', CAST(:v AS extensions.vector), :model, now()) RETURNING id
						""")
					.param("ws", workspace)
					.param("q", question)
					.param("v", new PGvector(bge.embed(question)))
					.param("model", oldModel)
					.query(UUID.class)
					.single());
			}
		}
		fixture.jdbc.sql("UPDATE workspaces SET search_model = :model WHERE id = :ws")
			.param("model", oldModel)
			.param("ws", workspace)
			.update();
		PairEmbeddings pairs = worker.getBean(PairEmbeddings.class);
		Embedder embedder = worker.getBean(Embedder.class);

		List<PairEmbeddings.Pending> pending = pairs.stillPending(ids, provider.modelId());
		assertThat(pending).hasSize(3).allSatisfy(pair -> assertThat(pair.staged()).isTrue());
		embedder.embed(pending.subList(0, 2));

		// two of three done: the workspace still searches with the old model's vectors
		assertThat(searchModel(workspace)).isEqualTo(oldModel);
		assertThat(modelsOfPairs(workspace)).containsOnly(oldModel);
		// an edit after its vector was staged makes that staged vector worthless
		fixture.jdbc.sql("UPDATE qa_pairs SET question = 'Can I get my money back?' WHERE id = :id")
			.param("id", ids.get(1))
			.update();
		embedder.embed(pending.subList(2, 3));
		assertThat(searchModel(workspace)).isEqualTo(oldModel);

		embedder.embed(pairs.stillPending(ids, provider.modelId()));

		assertThat(searchModel(workspace)).isEqualTo(provider.modelId());
		assertThat(modelsOfPairs(workspace)).containsOnly(provider.modelId());
		assertThat(fixture.jdbc.sql("SELECT count(*) FROM qa_pair_staged_embeddings WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(Long.class)
			.single()).isZero();
		String edited = fixture.jdbc.sql("SELECT embedding::text FROM qa_pairs WHERE id = :id")
			.param("id", ids.get(1))
			.query(String.class)
			.single();
		assertThat(Vectors.cosine(vector(edited), provider.embed("Can I get my money back?")))
			.isGreaterThan(0.999);
	}

	private static String searchModel(UUID workspace) {
		return fixture.jdbc.sql("SELECT search_model FROM workspaces WHERE id = :ws")
			.param("ws", workspace)
			.query(String.class)
			.single();
	}

	private static List<String> modelsOfPairs(UUID workspace) {
		return fixture.jdbc.sql("SELECT embedding_model FROM qa_pairs WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query(String.class)
			.list();
	}

	@Test
	void writingAVectorDoesNotMoveUpdatedAt() {
		UUID workspace = fixture.workspace();
		UUID pair = fixture.createPairs(workspace, List.of("Can I pay by invoice?")).get(0);
		var before = fixture.jdbc.sql("SELECT updated_at FROM qa_pairs WHERE id = :id")
			.param("id", pair)
			.query(java.time.OffsetDateTime.class)
			.single();

		await().atMost(Duration.ofSeconds(30)).until(() -> fixture.embedded(workspace, provider.modelId()) == 1);

		assertThat(fixture.jdbc.sql("SELECT updated_at FROM qa_pairs WHERE id = :id")
			.param("id", pair)
			.query(java.time.OffsetDateTime.class)
			.single()).isEqualTo(before);
	}

	@Test
	void poisonRecordsLandOnceOnTheDeadLetterTopicWithTheirReasonChangesOfDeletedWorkspacesAreSkippedAndTheRestProceed() {
		UUID workspace = fixture.workspace();
		UUID unknownWorkspace = UUID.randomUUID();
		fixture.publishRaw(workspace.toString(), "{this is not json", UUID.randomUUID().toString(), QaPairChanged.TYPE);
		// a valid event, of a type that has a topic of its own
		EventEnvelope<QaPairEmbedded> misrouted = EventCodec.envelope(workspace, Instant.now(),
				new QaPairEmbedded(UUID.randomUUID(), "Where is my parcel?", provider.modelId(), Instant.now()));
		fixture.publish(misrouted);
		fixture.publish(unknownWorkspace, new QaPairChanged(UUID.randomUUID(), "created", "A question of nobody", null,
				true, null, Instant.now(), 0));
		fixture.createPairs(workspace, List.of("Where is my invoice?", "Can I change my plan?"));

		await().atMost(Duration.ofSeconds(60)).until(() -> fixture.embedded(workspace, provider.modelId()) == 2);
		List<ConsumerRecord<String, String>> dead = readAll(fixture.topic + "-dlt", 2, Duration.ofSeconds(20));

		// the unreadable record and the event of another type are poison; the change of a workspace
		// that no longer exists (deleted since) is skipped, not retried and dead-lettered: a deleted
		// workspace's many deletions must not hold up the partition
		assertThat(dead).hasSize(2);
		assertThat(dead).filteredOn(record -> record.value().equals("{this is not json")).singleElement()
			.satisfies(record -> assertThat(header(record, "kafka_dlt-exception-message")).isNotBlank());
		assertThat(dead).filteredOn(record -> record.value().contains(misrouted.eventId().toString())).singleElement()
			.satisfies(record -> assertThat(header(record, "kafka_dlt-exception-message"))
				.contains("Event type 'QaPairEmbedded' is not the expected 'QaPairChanged'"));
	}

	/** A stored vector in pgvector's text form, read with pgvector-java. */
	private static float[] vector(String stored) {
		try {
			return new PGvector(stored).toArray();
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
