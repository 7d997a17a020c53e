package dev.clara.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.clara.relay.core.CdcRelay;
import dev.clara.relay.core.Change;
import dev.clara.relay.core.Position;
import dev.clara.relay.core.Projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-workspace projection after a randomized, concurrent workload on Q&A pairs, gaps,
 * sessions and messages equals the same figures computed by SQL from the tables; duplicate and
 * older changes do not move it; switching the embedding model recounts without a rebuild.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectionIntegrationTests {

	static final String MINILM = "all-minilm-l6-v2-q";

	static final String BGE = "bge-small-en-v1.5-q";

	static final String VECTOR = QaPairChangesIntegrationTests.VECTOR;

	private RelayFixture fixture;

	private CdcRelay relay;

	private final List<UUID> workspaces = new ArrayList<>();

	@BeforeAll
	void setUp() throws Exception {
		this.fixture = RelayFixture.create("projection");
		// rows that exist before the relay's first start: the bootstrap counts them
		UUID early = this.fixture.newWorkspace();
		this.workspaces.add(early);
		try (Connection c = this.fixture.connect()) {
			RelayFixture.update(c, "INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (?, 'pre-existing', 'yes')",
					early);
			this.fixture.commitTurn(c, early, "asked before the relay existed");
		}
		this.relay = this.fixture.startRelay();
		this.workspaces.add(this.fixture.newWorkspace());
		this.workspaces.add(this.fixture.newWorkspace());
	}

	@AfterAll
	void tearDown() {
		this.fixture.close();
	}

	@Test
	@Order(1)
	void afterARandomizedWorkloadEveryFigureEqualsSql() throws Exception {
		AtomicInteger operations = new AtomicInteger();
		int threads = 3;
		int perThread = 340;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<Future<Integer>> results = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			long seed = 42 + t;
			results.add(pool.submit(() -> workload(new Random(seed), perThread, operations)));
		}
		int failedTransactions = 0;
		for (Future<Integer> f : results) {
			failedTransactions += f.get();
		}
		pool.shutdown();
		// the last activity of each workspace: a message (a deletion may have removed the newest one)
		try (Connection c = this.fixture.connect()) {
			for (UUID ws : this.workspaces) {
				this.fixture.commitTurn(c, ws, "last words");
			}
		}
		assertThat(operations.get()).isGreaterThanOrEqualTo(1000);
		System.out.printf("workload: %d operations, %d transactions rolled back (conflicts)%n", operations.get(),
				failedTransactions);
		awaitProjectionEqualsSql(MINILM);
		// the workload left something to count in every figure
		Map<String, Long> totals = new LinkedHashMap<>();
		for (UUID ws : this.workspaces) {
			Map<String, Object> figures = projection(ws);
			System.out.println("projection of " + ws + ": " + figures);
			for (String figure : List.of("active_pairs", "embedded_pairs", "pending_embeddings", "open_gaps", "sessions",
					"messages")) {
				totals.merge(figure, (Long) figures.get(figure), Long::sum);
			}
		}
		assertThat(totals.values()).allMatch((n) -> n > 0);
	}

	@Test
	@Order(2)
	void duplicateAndOlderChangesDoNotMoveTheProjection() throws Exception {
		UUID ws = this.workspaces.get(1);
		Map<String, Object> before = projection(ws);
		Position stored = storedPosition(ws);
		Map<String, Object> row = Map.of("id", UUID.randomUUID().toString(), "workspace_id", ws.toString(), "is_active",
				true, "embedding_model", MINILM);
		Projections projections = new Projections(MINILM);
		try (Connection c = this.fixture.connect()) {
			c.setAutoCommit(false);
			// the same position again (a redelivery) and an older one
			Change duplicate = new Change("public.qa_pairs", "c", null, row, stored, Instant.now());
			Change older = new Change("public.qa_pairs", "c", null, row,
					new Position(stored.txLsn(), stored.lsn() - 1), Instant.now());
			Change muchOlder = new Change("public.messages", "d", Map.of("id", UUID.randomUUID().toString(), "workspace_id",
					ws.toString()), null, new Position(0, 1), Instant.now());
			assertThat(projections.apply(c, List.of(duplicate, older, muchOlder))).isZero();
			c.commit();
			assertThat(projection(ws)).isEqualTo(before);
			// a newer change does apply (then rolled back)
			Change newer = new Change("public.qa_pairs", "c", null, row,
					new Position(stored.txLsn() + 1, 0), Instant.now());
			assertThat(projections.apply(c, List.of(newer, newer))).isOne();
			c.rollback();
		}
		assertThat(projection(ws)).isEqualTo(before);
	}

	@Test
	@Order(3)
	void switchingTheEmbeddingModelRecountsWithoutARebuild() throws Exception {
		this.relay.close();
		this.relay = this.fixture.startRelay(this.fixture.settings().embeddingModel(BGE).build());
		awaitProjectionEqualsSql(BGE);
		try (Connection c = this.fixture.connect()) {
			UUID ws = this.workspaces.get(2);
			RelayFixture.update(c, "INSERT INTO qa_pairs (workspace_id, question, answer, embedding, embedding_model, embedded_at) "
					+ "VALUES (?, 'bge-embedded', 'x', " + VECTOR + ", ?, now())", ws, BGE);
		}
		awaitProjectionEqualsSql(BGE);
	}

	@Test
	@Order(4)
	void aDeletedWorkspaceLosesItsProjection() throws Exception {
		UUID ws = this.fixture.newWorkspace();
		try (Connection c = this.fixture.connect()) {
			RelayFixture.update(c, "INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (?, 'doomed', 'yes')", ws);
			this.fixture.commitTurn(c, ws, "a question before the end");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> RelayFixture.count(c, "SELECT messages FROM workspace_stats WHERE workspace_id = ?", ws) == 2);
			// the owner deletes their account: workspace, pairs, conversations, messages cascade
			RelayFixture.update(c, "DELETE FROM auth.users WHERE id = (SELECT owner_id FROM workspaces WHERE id = ?)", ws);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> RelayFixture.count(c, "SELECT count(*) FROM workspace_stats WHERE workspace_id = ?", ws) == 0);
			// and nothing brings it back
			Thread.sleep(1000);
			assertThat(RelayFixture.count(c, "SELECT count(*) FROM workspace_stats WHERE workspace_id = ?", ws)).isZero();
		}
	}

	// ───────────────────────────── the workload ─────────────────────────────

	/** Random operations in random-sized transactions; returns how many transactions rolled back. */
	private int workload(Random random, int count, AtomicInteger operations) throws SQLException {
		int rolledBack = 0;
		try (Connection c = this.fixture.connect()) {
			c.setAutoCommit(false);
			int done = 0;
			while (done < count) {
				int inTransaction = 1 + random.nextInt(3);
				try {
					for (int i = 0; i < inTransaction; i++) {
						operation(c, random, this.workspaces.get(random.nextInt(this.workspaces.size())));
					}
					c.commit();
				}
				catch (SQLException ex) {
					c.rollback();
					rolledBack++;
				}
				done += inTransaction;
				operations.addAndGet(inTransaction);
			}
		}
		return rolledBack;
	}

	private void operation(Connection c, Random random, UUID ws) throws SQLException {
		String model = random.nextInt(4) == 0 ? BGE : MINILM;
		switch (random.nextInt(17)) {
			case 0, 1 -> RelayFixture.update(c, "INSERT INTO qa_pairs (workspace_id, question, answer, is_active) VALUES (?, ?, 'a', ?)",
					ws, "q " + random.nextInt(1_000_000), random.nextInt(5) > 0);
			case 2 -> RelayFixture.update(c, "UPDATE qa_pairs SET question = ? WHERE id = " + pick("qa_pairs"), "edited "
					+ random.nextInt(1_000_000), ws);
			case 3 -> RelayFixture.update(c, "UPDATE qa_pairs SET is_active = NOT is_active WHERE id = " + pick("qa_pairs"), ws);
			case 4, 5 -> RelayFixture.update(c, "UPDATE qa_pairs SET embedding = " + VECTOR
					+ ", embedding_model = ?, embedded_at = now() WHERE id = " + pick("qa_pairs"), model, ws);
			case 6 -> RelayFixture.update(c,
					"UPDATE qa_pairs SET embedding = NULL, embedding_model = NULL, embedded_at = NULL WHERE id = "
							+ pick("qa_pairs"), ws);
			case 7 -> RelayFixture.update(c, "DELETE FROM qa_pairs WHERE id = " + pick("qa_pairs"), ws);
			case 8 -> RelayFixture.update(c, "INSERT INTO qa_gaps (workspace_id, question) VALUES (?, ?)", ws,
					"gap " + random.nextInt(1_000_000));
			case 9 -> RelayFixture.update(c, "UPDATE qa_gaps SET status = ? WHERE id = " + pick("qa_gaps"),
					random.nextBoolean() ? "resolved" : "dismissed", ws);
			case 10 -> RelayFixture.update(c, "UPDATE qa_gaps SET status = 'open' WHERE id = " + pick("qa_gaps"), ws);
			case 11 -> RelayFixture.update(c, "DELETE FROM qa_gaps WHERE id = " + pick("qa_gaps"), ws);
			case 12 -> RelayFixture.update(c, "INSERT INTO conversations (workspace_id, session_token) VALUES (?, ?)", ws,
					"s-" + UUID.randomUUID());
			case 13 -> RelayFixture.update(c, "DELETE FROM conversations WHERE id = " + pick("conversations"), ws);
			case 14 -> RelayFixture.update(c, """
					INSERT INTO messages (conversation_id, workspace_id, role, content)
					SELECT id, workspace_id, 'user', 'hello' FROM conversations WHERE id = """ + pick("conversations"), ws);
			case 15 -> RelayFixture.update(c, "DELETE FROM messages WHERE id = " + pick("messages"), ws);
			default -> {
				if (random.nextBoolean()) {
					RelayFixture.update(c, "UPDATE conversations SET escalated = true, escalated_at = now() WHERE id = "
							+ pick("conversations"), ws);
				}
				else {
					this.fixture.writeTurn(c, ws, "t-" + random.nextInt(20), "turn " + random.nextInt(1000));
				}
			}
		}
	}

	private static String pick(String table) {
		return "(SELECT id FROM " + table + " WHERE workspace_id = ? ORDER BY random() LIMIT 1)";
	}

	// ───────────────────────────── checking ─────────────────────────────

	private void awaitProjectionEqualsSql(String model) {
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			for (UUID ws : this.workspaces) {
				assertThat(projection(ws)).as("projection of workspace %s", ws).isEqualTo(expected(ws, model));
			}
		});
	}

	private Map<String, Object> projection(UUID ws) throws SQLException {
		try (Connection c = this.fixture.connect(); PreparedStatement ps = c.prepareStatement("""
				SELECT active_pairs, embedded_pairs, pending_embeddings, open_gaps, sessions, messages, last_activity_at
				  FROM workspace_stats WHERE workspace_id = ?""")) {
			ps.setObject(1, ws);
			return row(ps);
		}
	}

	private Map<String, Object> expected(UUID ws, String model) throws SQLException {
		try (Connection c = this.fixture.connect(); PreparedStatement ps = c.prepareStatement("""
				SELECT (SELECT count(*) FROM qa_pairs WHERE workspace_id = w.id AND is_active) AS active_pairs,
				       (SELECT count(*) FROM qa_pairs WHERE workspace_id = w.id AND is_active
				           AND embedding IS NOT NULL AND embedding_model = ?) AS embedded_pairs,
				       (SELECT count(*) FROM qa_pairs WHERE workspace_id = w.id AND is_active
				           AND (embedding IS NULL OR embedding_model <> ?)) AS pending_embeddings,
				       (SELECT count(*) FROM qa_gaps WHERE workspace_id = w.id AND status = 'open') AS open_gaps,
				       (SELECT count(*) FROM conversations WHERE workspace_id = w.id) AS sessions,
				       (SELECT count(*) FROM messages WHERE workspace_id = w.id) AS messages,
				       GREATEST((SELECT max(created_at) FROM messages WHERE workspace_id = w.id),
				                (SELECT max(updated_at) FROM conversations WHERE workspace_id = w.id)) AS last_activity_at
				  FROM workspaces w WHERE w.id = ?""")) {
			ps.setString(1, model);
			ps.setString(2, model);
			ps.setObject(3, ws);
			return row(ps);
		}
	}

	private static Map<String, Object> row(PreparedStatement ps) throws SQLException {
		try (ResultSet rs = ps.executeQuery()) {
			Map<String, Object> values = new LinkedHashMap<>();
			if (rs.next()) {
				for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
					Object v = rs.getObject(i);
					values.put(rs.getMetaData().getColumnName(i),
							(v instanceof Number n) ? (Object) n.longValue() : (v instanceof Timestamp t) ? t.toInstant() : v);
				}
			}
			return values;
		}
	}

	private Position storedPosition(UUID ws) throws SQLException {
		try (Connection c = this.fixture.connect(); PreparedStatement ps = c
			.prepareStatement("SELECT last_tx_lsn::text, last_lsn::text FROM workspace_stats WHERE workspace_id = ?")) {
			ps.setObject(1, ws);
			try (ResultSet rs = ps.executeQuery()) {
				rs.next();
				return new Position(dev.clara.relay.core.Lsn.parse(rs.getString(1)),
						dev.clara.relay.core.Lsn.parse(rs.getString(2)));
			}
		}
	}

}
