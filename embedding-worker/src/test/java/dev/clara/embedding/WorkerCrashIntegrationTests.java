package dev.clara.embedding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import com.pgvector.PGvector;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.EmbeddingProviders;
import dev.clara.shared.embedding.EmbeddingSettings;
import dev.clara.shared.embedding.Vectors;
import dev.clara.testing.LocalKafka;
import dev.clara.testing.ServiceProcess;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Workers as separate processes: killed mid-batch, and two of them sharing one group. */
class WorkerCrashIntegrationTests {

	static final int PAIRS = 1000;

	static WorkerFixture fixture;

	static EmbeddingProvider provider;

	@BeforeAll
	static void setUp() {
		fixture = new WorkerFixture("worker_crash");
		// the model the worker processes embed with: the test environment's CLARA_EMBEDDING_MODEL
		provider = EmbeddingProviders.create(EmbeddingSettings.local(System.getenv("CLARA_EMBEDDING_MODEL")));
	}

	@AfterAll
	static void tearDown() {
		fixture.close();
	}

	private static List<String> arguments(String group) {
		List<String> args = new ArrayList<>(fixture.workerArguments());
		args.add("--server.port=0");
		args.add("--spring.kafka.consumer.group-id=" + group);
		args.add("--clara.worker.batch-size=16");
		args.add("--spring.kafka.consumer.max-poll-records=16");
		args.addAll(LocalKafka.SHORT_SESSION_ARGUMENTS);
		return args;
	}

	@Test
	void aWorkerKilledMidBatchAndRestartedLeavesEveryPairWithOneVectorOfItsCurrentText() throws Exception {
		UUID workspace = fixture.workspace();
		List<String> questions = IntStream.range(0, PAIRS).mapToObj(i -> "Question about topic " + i + "?").toList();
		String group = "embedding-worker-crash-" + UUID.randomUUID();
		// a backlog first: a worker started before the pairs embeds them as fast as they are written
		List<UUID> ids = fixture.createPairs(workspace, questions);
		ServiceProcess first = ServiceProcess.start(EmbeddingWorkerApplication.class, "worker-crash-1", arguments(group));
		await().atMost(Duration.ofMinutes(2)).until(() -> fixture.embedded(workspace, provider.modelId()) >= 40);

		first.kill();
		long embeddedAtKill = fixture.embedded(workspace, provider.modelId());
		// edit some pairs while no worker runs: the restarted one must embed their new text
		for (int i = 0; i < 5; i++) {
			fixture.editQuestion(workspace, ids.get(i), questions.get(i), "Edited question number " + i + "?");
		}
		try (ServiceProcess second = ServiceProcess.start(EmbeddingWorkerApplication.class, "worker-crash-2", arguments(group))) {
			await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
				.until(() -> fixture.embedded(workspace, provider.modelId()) == PAIRS);
		}

		assertThat(embeddedAtKill).isLessThan(PAIRS);
		for (int i = 0; i < ids.size(); i += 97) {
			String expected = i < 5 ? "Edited question number " + i + "?" : questions.get(i);
			assertThat(cosineOfStoredVector(ids.get(i), expected)).as("pair %d", i).isGreaterThan(0.999);
		}
		for (int i = 0; i < 5; i++) {
			assertThat(cosineOfStoredVector(ids.get(i), "Edited question number " + i + "?")).isGreaterThan(0.999);
		}
		assertThat(fixture.jdbc.sql("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws"
				+ " AND (embedding_model IS DISTINCT FROM :model OR embedded_at < updated_at)")
			.param("ws", workspace)
			.param("model", provider.modelId())
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void twoWorkersInOneGroupShareThePartitionsAndEmbedEveryPair() throws Exception {
		String group = "embedding-worker-pair-" + UUID.randomUUID();
		List<UUID> workspaces = IntStream.range(0, 12).mapToObj(i -> fixture.workspace()).toList();
		try (ServiceProcess one = ServiceProcess.start(EmbeddingWorkerApplication.class, "worker-pair-1", arguments(group));
				ServiceProcess two = ServiceProcess.start(EmbeddingWorkerApplication.class, "worker-pair-2", arguments(group))) {
			await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> membersReadingTheChanges(group) == 2);
			for (int w = 0; w < workspaces.size(); w++) {
				int offset = w;
				fixture.createPairs(workspaces.get(w), IntStream.range(0, 2000 / workspaces.size() + 1)
					.mapToObj(i -> "Workspace " + offset + " asks question " + i + "?")
					.toList());
			}
			await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
				.until(() -> workspaces.stream().mapToLong(w -> fixture.embedded(w, provider.modelId())).sum() >= 2000);
			assertThat(one.isAlive()).isTrue();
			assertThat(two.isAlive()).isTrue();
			assertThat(membersReadingTheChanges(group)).isEqualTo(2);
		}
		long pending = fixture.jdbc.sql("SELECT count(*) FROM qa_pairs WHERE workspace_id = ANY(:ws)"
				+ " AND (embedding IS NULL OR embedding_model IS DISTINCT FROM :model)")
			.param("ws", workspaces.toArray(UUID[]::new))
			.param("model", provider.modelId())
			.query(Long.class)
			.single();
		assertThat(pending).isZero();
	}

	private static long membersReadingTheChanges(String group) throws Exception {
		try (var admin = LocalKafka.admin()) {
			ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
				.describedGroups()
				.get(group)
				.get();
			return description.members()
				.stream()
				.map(MemberDescription::assignment)
				// the group's document listener is a member too: it has partitions where that topic exists
				.filter(assignment -> assignment.topicPartitions().stream().anyMatch(p -> p.topic().equals(fixture.topic)))
				.count();
		}
	}

	private static double cosineOfStoredVector(UUID pair, String text) {
		float[] stored = fixture.jdbc.sql("SELECT embedding::text FROM qa_pairs WHERE id = :id")
			.param("id", pair)
			.query((row, i) -> new PGvector(row.getString(1)).toArray())
			.single();
		return Vectors.cosine(stored, provider.embed(text));
	}

}
