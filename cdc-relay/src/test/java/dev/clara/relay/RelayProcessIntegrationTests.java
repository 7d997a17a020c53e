package dev.clara.relay;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay service as separate processes: kill -9 after commit and before relay loses nothing;
 * two instances at once, one relays and the other waits, and takes over when the first dies.
 */
class RelayProcessIntegrationTests {

	private RelayFixture fixture;

	private final List<RelayProcess> processes = new ArrayList<>();

	@BeforeEach
	void setUp() {
		this.fixture = RelayFixture.create("process");
	}

	@AfterEach
	void tearDown() throws Exception {
		for (RelayProcess p : this.processes) {
			p.close();
		}
		this.fixture.close();
	}

	@Test
	void killDashNineAfterCommitAndBeforeRelayLosesNoEvent() throws Exception {
		List<UUID> workspaces = List.of(this.fixture.newWorkspace(), this.fixture.newWorkspace(),
				this.fixture.newWorkspace());
		RelayProcess first = start("kill-first");
		awaitRole(first, "active");
		int turns = 1000;
		Set<String> committed = ConcurrentHashMap.newKeySet();
		AtomicInteger progress = new AtomicInteger();
		ExecutorService writer = Executors.newSingleThreadExecutor();
		Future<?> writing = writer.submit(() -> {
			try (Connection c = this.fixture.connect()) {
				for (int n = 0; n < turns; n++) {
					committed.add(this.fixture.commitTurn(c, workspaces.get(n % workspaces.size()), "turn " + n).toString());
					progress.incrementAndGet();
					Thread.sleep(4);
				}
			}
			return null;
		});
		// kill while turns commit: some are committed and not relayed yet
		await().atMost(Duration.ofSeconds(60)).until(() -> progress.get() >= 300);
		first.kill9();
		int atKill = progress.get();
		await().atMost(Duration.ofSeconds(60)).until(() -> progress.get() >= atKill + 100); // more commits while it is down
		RelayProcess second = start("kill-second");
		writing.get();
		writer.shutdown();
		try (TopicReader reader = new TopicReader(this.fixture.questions)) {
			List<ConsumerRecord<String, String>> seen = reader.pollUntil(
					(records) -> OutboxRelayIntegrationTests.eventIds(records).containsAll(committed), Duration.ofSeconds(120));
			Set<String> missing = new HashSet<>(committed);
			missing.removeAll(OutboxRelayIntegrationTests.eventIds(seen));
			Map<String, Integer> counts = OutboxRelayIntegrationTests.countById(seen);
			long duplicates = counts.values().stream().filter((n) -> n > 1).count();
			System.out.printf("kill -9 after %d of %d turns: %d records on the topic, %d distinct, %d missing, %d redelivered%n",
					atKill, turns, seen.size(), counts.size(), missing.size(), duplicates);
			assertThat(committed).hasSize(turns);
			assertThat(missing).as("committed events missing on the topic").isEmpty();
		}
		assertThat(second.role()).isEqualTo("active");
		// redelivered changes did not count twice
		try (Connection c = this.fixture.connect()) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				for (UUID ws : workspaces) {
					assertThat(RelayFixture.count(c, "SELECT messages FROM workspace_stats WHERE workspace_id = ?", ws))
						.isEqualTo(RelayFixture.count(c, "SELECT count(*) FROM messages WHERE workspace_id = ?", ws));
					assertThat(RelayFixture.count(c, "SELECT sessions FROM workspace_stats WHERE workspace_id = ?", ws))
						.isEqualTo(RelayFixture.count(c, "SELECT count(*) FROM conversations WHERE workspace_id = ?", ws));
				}
			});
		}
	}

	@Test
	void ofTwoInstancesOneRelaysTheOtherWaitsAndTakesOverWhenTheFirstDies() throws Exception {
		UUID workspace = this.fixture.newWorkspace();
		RelayProcess a = start("pair-a");
		RelayProcess b = start("pair-b");
		await().atMost(Duration.ofSeconds(90)).until(() -> a.role() != null && b.role() != null);
		await().atMost(Duration.ofSeconds(30)).until(() -> Set.of(a.role(), b.role()).equals(Set.of("active", "standby")));
		RelayProcess active = "active".equals(a.role()) ? a : b;
		RelayProcess standby = (active == a) ? b : a;

		Set<String> before = commit(workspace, 50, "before");
		awaitOnTopic(before);
		awaitEmbeddedOnItsTopic(workspace);
		JsonNode activeHealth = details(active);
		assertThat(activeHealth.path("slotLagBytes").isNumber()).isTrue();
		assertThat(activeHealth.path("lastEventAt").asString()).isNotEmpty();
		assertThat(activeHealth.path("recordsPublished").asLong()).isGreaterThanOrEqualTo(50);
		JsonNode standbyHealth = details(standby);
		assertThat(standbyHealth.path("role").asString()).isEqualTo("standby");
		assertThat(standbyHealth.path("recordsPublished").asLong()).isZero();
		assertThat(health(standby).path("status").asString()).isEqualTo("UP");

		active.kill9();
		await().atMost(Duration.ofSeconds(60)).until(() -> "active".equals(standby.role()));
		Set<String> after = commit(workspace, 50, "after");
		awaitOnTopic(after);
		assertThat(details(standby).path("recordsPublished").asLong()).isGreaterThanOrEqualTo(50);
	}

	private Set<String> commit(UUID workspace, int n, String label) throws Exception {
		Set<String> ids = new HashSet<>();
		try (Connection c = this.fixture.connect()) {
			for (int i = 0; i < n; i++) {
				ids.add(this.fixture.commitTurn(c, workspace, label + " " + i).toString());
			}
		}
		return ids;
	}

	private void awaitOnTopic(Set<String> ids) {
		try (TopicReader reader = new TopicReader(this.fixture.questions)) {
			List<ConsumerRecord<String, String>> seen = reader.pollUntil(
					(records) -> OutboxRelayIntegrationTests.eventIds(records).containsAll(ids), Duration.ofSeconds(90));
			assertThat(OutboxRelayIntegrationTests.eventIds(seen)).containsAll(ids);
		}
	}

	/** Through the service's own routes: {@code QaPairEmbedded} goes to {@code clara.topics.qa-pair-embedded}. */
	private void awaitEmbeddedOnItsTopic(UUID workspace) throws Exception {
		UUID eventId;
		try (Connection c = this.fixture.connect()) {
			eventId = this.fixture.writeEmbedded(c, workspace, "Do you ship to Norway?");
		}
		try (TopicReader reader = new TopicReader(this.fixture.qaEmbedded)) {
			assertThat(OutboxRelayIntegrationTests.awaitEvent(reader, eventId).key()).isEqualTo(workspace.toString());
		}
	}

	private RelayProcess start(String name) throws Exception {
		RelayProcess p = RelayProcess.start(this.fixture.settings().build(), name);
		this.processes.add(p);
		return p;
	}

	private static void awaitRole(RelayProcess p, String role) {
		await().atMost(Duration.ofSeconds(90)).until(() -> role.equals(p.role()));
	}

	private static JsonNode health(RelayProcess p) {
		JsonNode health = p.health();
		assertThat(health).as("health of " + p.log).isNotNull();
		return health;
	}

	private static JsonNode details(RelayProcess p) {
		return health(p).path("components").path("cdcRelay").path("details");
	}

}
