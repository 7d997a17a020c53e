package dev.clara.chat.search;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.pgvector.PGvector;
import dev.clara.chat.ChatApiIntegrationTest;
import dev.clara.chat.turn.ChatTurnService;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The in-memory copy of a workspace's pairs: it finds what {@code search_qa_pairs} finds, and the
 * settings query stops confirming it as soon as a change to the workspace's pairs is committed
 * outside its snapshot, so the next turn searches the database again.
 */
class PairVectorCacheIntegrationTests extends ChatApiIntegrationTest {

	@Autowired
	PairVectorCache copies;

	@Autowired
	PairVectorRepository repository;

	@Autowired
	KnowledgeSearch search;

	@Autowired
	ChatTurnService turns;

	@Autowired
	QuestionEmbeddings questions;

	@Autowired
	DataSource dataSource;

	@Test
	void theCopyFindsWhatTheDatabaseFinds() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		String model = this.questions.deploymentModel();
		PairVectors copy = this.repository.load(workspace, model, 100).build(System.nanoTime());
		assertThat(copy.size()).isEqualTo(6);
		for (String question : List.of("What's the price of the pro plan?", "How do I reset my password?",
				"Is there a trial period?", "What is the capital of Mongolia?")) {
			float[] vector = this.questions.embed(model, question);

			List<BestMatch.Hit> hits = copy.search(vector, 0.3, 5);

			List<Object[]> expected = this.jdbc.sql("""
					SELECT id, similarity FROM search_qa_pairs(:workspaceId, :embedding, 0.3, 5, :model)""")
				.param("workspaceId", workspace)
				.param("embedding", new PGvector(vector))
				.param("model", model)
				.query((row, i) -> new Object[] { row.getObject("id", UUID.class), row.getDouble("similarity") })
				.list();
			assertThat(hits).extracting(hit -> hit.match().id()).containsExactlyElementsOf(
					expected.stream().map(row -> (UUID) row[0]).toList());
			for (int k = 0; k < hits.size(); k++) {
				assertThat(hits.get(k).match().similarity()).isCloseTo((Double) expected.get(k)[1], within(1e-6));
			}
		}
	}

	@Test
	void aTurnSearchesTheCopyOnlyWhileNoChangeToThePairsIsOutsideIt() {
		UUID workspace = this.workspaces.create();
		List<UUID> pairs = this.workspaces.saasKnowledgeBase(workspace);
		UUID other = this.workspaces.create();
		String snapshot = loadedCopy(workspace);

		assertThat(confirmed(workspace)).isEqualTo(snapshot);
		this.workspaces.pair(other, "Where are you based?", "Berlin.", "general");
		assertThat(confirmed(workspace)).as("another workspace's change").isEqualTo(snapshot);

		for (String change : List.of("UPDATE qa_pairs SET answer = answer || '!' WHERE id = :id",
				"UPDATE qa_pairs SET is_active = false WHERE id = :id", "DELETE FROM qa_pairs WHERE id = :id")) {
			this.jdbc.sql(change).param("id", pairs.get(0)).update();

			assertThat(confirmed(workspace)).as(change).isNull();
			snapshot = loadedCopy(workspace);
			assertThat(confirmed(workspace)).isEqualTo(snapshot);
		}
		this.workspaces.pair(workspace, "Do you have an API?", "Yes, a REST API.", "developers");
		assertThat(confirmed(workspace)).as("a new pair").isNull();
	}

	@Test
	void aChangeCommittedAfterTheCopyWasReadIsSeenEvenIfItStartedBefore() throws Exception {
		UUID workspace = this.workspaces.create();
		List<UUID> pairs = this.workspaces.saasKnowledgeBase(workspace);
		try (Connection owner = this.dataSource.getConnection()) {
			owner.setAutoCommit(false);
			try (PreparedStatement deactivate = owner.prepareStatement("UPDATE qa_pairs SET is_active = false WHERE id = ?")) {
				deactivate.setObject(1, pairs.get(1));
				deactivate.executeUpdate();
			}
			String snapshot = loadedCopy(workspace);
			assertThat(this.copies.current(workspace, this.questions.deploymentModel(), snapshot).size())
				.as("the uncommitted change is not in the copy").isEqualTo(6);
			assertThat(confirmed(workspace)).isEqualTo(snapshot);

			owner.commit();

			assertThat(confirmed(workspace)).isNull();
		}
	}

	@Test
	void aWriteToAPairDoesNotWaitForItsWorkspacesRow() throws Exception {
		// the embedding worker's model switch holds the workspace row FOR UPDATE while it updates the
		// workspace's pairs: noting a change must not need that row, or the two deadlock
		UUID workspace = this.workspaces.create();
		List<UUID> pairs = this.workspaces.saasKnowledgeBase(workspace);
		String snapshot = loadedCopy(workspace);
		try (Connection switching = this.dataSource.getConnection(); Connection writer = this.dataSource.getConnection()) {
			switching.setAutoCommit(false);
			try (PreparedStatement lock = switching.prepareStatement("SELECT id FROM workspaces WHERE id = ? FOR UPDATE")) {
				lock.setObject(1, workspace);
				lock.executeQuery().close();
			}
			writer.setAutoCommit(false);
			try (PreparedStatement timeout = writer.prepareStatement("SET LOCAL lock_timeout = '2s'");
					PreparedStatement update = writer.prepareStatement("UPDATE qa_pairs SET answer = answer || '!' WHERE id = ?")) {
				timeout.execute();
				update.setObject(1, pairs.get(2));
				assertThat(update.executeUpdate()).isEqualTo(1);
			}
			writer.commit();
			switching.rollback();
		}
		assertThat(snapshot).isNotNull();
		assertThat(confirmed(workspace)).as("the write was noted").isNull();
	}

	@Test
	void theNextSearchAfterAChangeDoesNotFindWhatItRemoved() {
		UUID workspace = this.workspaces.create();
		List<UUID> pairs = this.workspaces.saasKnowledgeBase(workspace);
		String model = this.questions.deploymentModel();
		float[] vector = this.questions.embed(model, "How much is the Pro plan?");
		loadedCopy(workspace);
		assertThat(searched(workspace, model, vector).get(0).id()).isEqualTo(pairs.get(0));

		this.jdbc.sql("UPDATE qa_pairs SET is_active = false WHERE id = :id").param("id", pairs.get(0)).update();

		assertThat(searched(workspace, model, vector)).extracting(Match::id).doesNotContain(pairs.get(0));
		loadedCopy(workspace);
		assertThat(searched(workspace, model, vector)).extracting(Match::id).doesNotContain(pairs.get(0));
	}

	/** What a turn finds: the settings read first (confirming the copy or not), then the search. */
	private List<Match> searched(UUID workspace, String model, float[] vector) {
		return this.search.search(workspace, model, "question", vector, -1, 5, confirmed(workspace));
	}

	private String confirmed(UUID workspace) {
		return this.turns.settingsOf(workspace).currentPairSnapshot();
	}

	/** Asks for a new copy as a turn without one does, and waits until it is in memory and confirmed. */
	private String loadedCopy(UUID workspace) {
		String model = this.questions.deploymentModel();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
			this.copies.reload(workspace, model);
			return confirmed(workspace) != null;
		});
		return this.copies.snapshotOf(workspace);
	}

}
