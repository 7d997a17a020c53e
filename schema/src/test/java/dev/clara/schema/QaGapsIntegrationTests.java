package dev.clara.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.clara.schema.SchemaTestDatabase.actAs;
import static dev.clara.schema.SchemaTestDatabase.count;
import static dev.clara.schema.SchemaTestDatabase.createUser;
import static dev.clara.schema.SchemaTestDatabase.inRolledBackTransaction;
import static dev.clara.schema.SchemaTestDatabase.rows;
import static dev.clara.schema.SchemaTestDatabase.single;
import static dev.clara.schema.SchemaTestDatabase.sqlStateOf;
import static dev.clara.schema.SchemaTestDatabase.update;
import static dev.clara.schema.SchemaTestDatabase.workspaceOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Open gaps are unique per workspace and normalised question, enforced by the database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QaGapsIntegrationTests {

	/** The gap detector's upsert. */
	static final String UPSERT_GAP = """
			INSERT INTO qa_gaps (workspace_id, question, ai_answer, similarity_score)
			VALUES (?, ?, 'I am not sure.', 0.31)
			ON CONFLICT (workspace_id, normalize_question(question)) WHERE status = 'open'
			DO UPDATE SET ask_count = qa_gaps.ask_count + 1,
			              last_asked_at = greatest(qa_gaps.last_asked_at, EXCLUDED.last_asked_at)""";

	private SchemaTestDatabase db;

	private Connection connection;

	private UUID owner;

	private UUID workspace;

	@BeforeAll
	void setUp() throws SQLException {
		this.db = SchemaTestDatabase.migrated("schema_gaps");
		this.connection = this.db.connect();
		this.owner = createUser(this.connection, "gaps@example.test");
		this.workspace = workspaceOf(this.connection, this.owner);
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.connection.close();
		this.db.close();
	}

	@Test
	void normalizeQuestionLowersTrimsAndCollapsesWhitespace() throws SQLException {
		assertThat(single(this.connection, "SELECT normalize_question(?)", "  How DO I\t reset\n\n my   PASSWORD?  "))
			.isEqualTo("how do i reset my password?");
		assertThat(single(this.connection, "SELECT provolatile FROM pg_proc WHERE oid = 'public.normalize_question(text)'::regprocedure"))
			.isEqualTo("i");
	}

	@Test
	void twentyConcurrentInsertsOfTheSameOpenQuestionLeaveOneRowAskedTwentyTimes() throws Exception {
		int n = 20;
		CyclicBarrier start = new CyclicBarrier(n);
		ExecutorService pool = Executors.newFixedThreadPool(n);
		try {
			List<Future<Integer>> results = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				String variant = variant(i);
				results.add(pool.submit(() -> {
					try (Connection c = this.db.connect()) {
						c.setAutoCommit(false);
						// As the gap detector does: the service role, one transaction per event.
						actAs(c, SchemaTestDatabase.Role.SERVICE_ROLE, null);
						start.await(30, TimeUnit.SECONDS);
						int rows = update(c, UPSERT_GAP, this.workspace, variant);
						c.commit();
						return rows;
					}
				}));
			}
			for (Future<Integer> result : results) {
				assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(1);
			}
		}
		finally {
			pool.shutdownNow();
		}
		List<List<Object>> gaps = rows(this.connection,
				"SELECT ask_count, status, normalize_question(question), last_asked_at >= created_at FROM qa_gaps WHERE workspace_id = ? AND normalize_question(question) = 'how do i reset my password?'",
				this.workspace);
		assertThat(gaps).containsExactly(List.of(20, "open", "how do i reset my password?", true));
	}

	private static String variant(int i) {
		String[] forms = { "How do I reset my password?", "how do i reset my password?", "  HOW DO I RESET MY PASSWORD?",
				"How  do I\treset my password?  ", "how do I reset   my Password?" };
		return forms[i % forms.length] + " ".repeat(i % 3);
	}

	@Test
	void aResolvedGapDoesNotBlockANewOpenOne() throws SQLException {
		Connection c = this.connection;
		update(c, UPSERT_GAP, this.workspace, "Do you offer refunds?");
		update(c, UPSERT_GAP, this.workspace, "do you offer REFUNDS?");
		UUID first = (UUID) single(c, "SELECT id FROM qa_gaps WHERE workspace_id = ? AND normalize_question(question) = 'do you offer refunds?'", this.workspace);
		assertThat(single(c, "SELECT ask_count FROM qa_gaps WHERE id = ?", first)).isEqualTo(2);
		assertThat(single(c, "SELECT resolved_at FROM qa_gaps WHERE id = ?", first)).isNull();

		update(c, "UPDATE qa_gaps SET status = 'resolved' WHERE id = ?", first);
		assertThat(single(c, "SELECT resolved_at FROM qa_gaps WHERE id = ?", first)).isNotNull();

		update(c, UPSERT_GAP, this.workspace, "DO YOU OFFER REFUNDS?");
		assertThat(rows(c, "SELECT status, ask_count FROM qa_gaps WHERE workspace_id = ? AND normalize_question(question) = 'do you offer refunds?' ORDER BY created_at, status DESC", this.workspace))
			.containsExactlyInAnyOrder(List.of("resolved", 2), List.of("open", 1));

		// Reopening the resolved one now would make two open gaps: refused.
		assertThat(sqlStateOf(c, () -> update(c, "UPDATE qa_gaps SET status = 'open' WHERE id = ?", first))).isEqualTo("23505");
		// A plain insert of the same open question (no upsert) is refused too.
		assertThat(sqlStateOf(c, () -> update(c, "INSERT INTO qa_gaps (workspace_id, question) VALUES (?, 'do you offer refunds?')", this.workspace)))
			.isEqualTo("23505");
		// Dismissing clears the way and stamps resolved_at as well.
		update(c, "UPDATE qa_gaps SET status = 'dismissed' WHERE workspace_id = ? AND status = 'open' AND normalize_question(question) = 'do you offer refunds?'", this.workspace);
		assertThat(count(c, "SELECT count(*) FROM qa_gaps WHERE workspace_id = ? AND normalize_question(question) = 'do you offer refunds?' AND resolved_at IS NOT NULL", this.workspace))
			.isEqualTo(2);
	}

	@Test
	void theSameQuestionMayBeOpenInTwoWorkspaces() throws SQLException {
		UUID otherWs = workspaceOf(this.connection, createUser(this.connection, "gaps-other@example.test"));
		update(this.connection, UPSERT_GAP, this.workspace, "Is there an app?");
		update(this.connection, UPSERT_GAP, otherWs, "is there an app?");
		assertThat(count(this.connection, "SELECT count(*) FROM qa_gaps WHERE normalize_question(question) = 'is there an app?' AND status = 'open'"))
			.isEqualTo(2);
	}

	@Test
	void theOwnerCanUpsertThroughRowLevelSecurity() throws SQLException {
		inRolledBackTransaction(this.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.owner);
			update(c, UPSERT_GAP, this.workspace, "Can I pay by invoice?");
			update(c, UPSERT_GAP, this.workspace, "can I pay by  invoice?");
			assertThat(single(c, "SELECT ask_count FROM qa_gaps WHERE normalize_question(question) = 'can i pay by invoice?'"))
				.isEqualTo(2);
			return null;
		});
	}

	@Test
	void gapsGroupOnlyWithinTheirWorkspaceAndKeepTheirEmbeddingConsistent() throws SQLException {
		Connection c = this.connection;
		UUID head = (UUID) single(c, "INSERT INTO qa_gaps (workspace_id, question) VALUES (?, 'Where is my invoice?') RETURNING id", this.workspace);
		UUID member = (UUID) single(c, "INSERT INTO qa_gaps (workspace_id, question, group_id) VALUES (?, 'Where can I find invoices?', ?) RETURNING id", this.workspace, head);
		update(c, "DELETE FROM qa_gaps WHERE id = ?", head);
		assertThat(single(c, "SELECT group_id FROM qa_gaps WHERE id = ?", member)).isNull();

		assertThat(sqlStateOf(c, () -> update(c, "UPDATE qa_gaps SET embedding_model = 'all-minilm-l6-v2-q' WHERE id = ?", member)))
			.isEqualTo("23514");
		assertThat(sqlStateOf(c, () -> update(c, "UPDATE qa_gaps SET question_embedding = '[1,2,3]', embedding_model = 'all-minilm-l6-v2-q' WHERE id = ?", member)))
			.isEqualTo("23514");
		assertThat(update(c, "UPDATE qa_gaps SET question_embedding = array_fill(0.1, ARRAY[384])::real[]::extensions.vector, embedding_model = 'bge-small-en-v1.5-q' WHERE id = ?", member))
			.isEqualTo(1);
		assertThat(single(c, "SELECT last_asked_at <= ? FROM qa_gaps WHERE id = ?", OffsetDateTime.now().plusMinutes(1), member))
			.isEqualTo(true);
		assertThat(sqlStateOf(c, () -> update(c, "UPDATE qa_gaps SET question = '   ' WHERE id = ?", member))).isEqualTo("23514");
	}

}
