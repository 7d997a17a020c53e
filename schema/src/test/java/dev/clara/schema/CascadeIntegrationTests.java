package dev.clara.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.clara.schema.SchemaTestDatabase.count;
import static dev.clara.schema.SchemaTestDatabase.createUser;
import static dev.clara.schema.SchemaTestDatabase.rows;
import static dev.clara.schema.SchemaTestDatabase.single;
import static dev.clara.schema.SchemaTestDatabase.sqlStateOf;
import static dev.clara.schema.SchemaTestDatabase.strings;
import static dev.clara.schema.SchemaTestDatabase.update;
import static dev.clara.schema.SchemaTestDatabase.workspaceOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Foreign keys: what goes with a deleted row, what is set to null, what may not point across tenants. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CascadeIntegrationTests {

	private SchemaTestDatabase db;

	private Connection connection;

	@BeforeAll
	void setUp() throws SQLException {
		this.db = SchemaTestDatabase.migrated("schema_cascade");
		this.connection = this.db.connect();
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.connection.close();
		this.db.close();
	}

	private static final List<String> POPULATED = List.of("qa_pairs", "conversations", "messages", "qa_gaps", "api_keys",
			"documents", "document_chunks", "document_conversation_links", "api_usage", "access_tokens", "outbox_events");

	/** Every table with a workspace_id column and how many rows {@link #populate} puts there. */
	private Map<String, Long> rowsPerWorkspaceTable(UUID workspace) throws SQLException {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (String table : strings(this.connection, """
				SELECT c.table_name FROM information_schema.columns c
				  JOIN information_schema.tables t USING (table_schema, table_name)
				 WHERE c.table_schema = 'public' AND c.column_name = 'workspace_id' AND t.table_type = 'BASE TABLE'
				 ORDER BY 1""")) {
			counts.put(table, count(this.connection, "SELECT count(*) FROM public." + table + " WHERE workspace_id = ?", workspace));
		}
		return counts;
	}

	/** One row in every tenant table. */
	private void populate(UUID user, UUID ws) throws SQLException {
		Connection c = this.connection;
		UUID qa = (UUID) single(c, "INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (?, 'Q', 'A') RETURNING id", ws);
		UUID conversation = (UUID) single(c, "INSERT INTO conversations (workspace_id, session_token) VALUES (?, 'tok') RETURNING id", ws);
		update(c, "INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES (?, ?, 'user', 'Hi')", conversation, ws);
		update(c, "INSERT INTO qa_gaps (workspace_id, question, best_match_id, session_id) VALUES (?, 'Gap?', ?, ?)", ws, qa, conversation);
		update(c, "INSERT INTO api_keys (workspace_id, provider, model, encrypted_key, key_id, key_last4) VALUES (?, 'openai', 'gpt-4o', 'aa:bb:cc', 'k1', 'abcd')", ws);
		UUID document = (UUID) single(c, "INSERT INTO documents (workspace_id, title, created_by) VALUES (?, 'Doc', ?) RETURNING id", ws, user);
		update(c, "INSERT INTO document_chunks (document_id, workspace_id, chunk_index, content) VALUES (?, ?, 0, 'c')", document, ws);
		update(c, "INSERT INTO document_conversation_links (document_id, conversation_id, workspace_id) VALUES (?, ?, ?)", document, conversation, ws);
		update(c, "INSERT INTO api_usage (workspace_id, user_id, provider, model, conversation_id) VALUES (?, ?, 'openai', 'gpt-4o', ?)", ws, user, conversation);
		update(c, "INSERT INTO access_tokens (workspace_id, name, prefix, key_hash, created_by) VALUES (?, 'ci', 'clk_', ?, ?)", ws, "hash-" + ws, user);
		update(c, "INSERT INTO outbox_events (workspace_id, aggregate_type, aggregate_id, event_type, payload) VALUES (?, 'qa_pair', 'x', 'QaPairCreated', '{}')", ws);
	}

	@Test
	void deletingAnAuthUserRemovesTheirWorkspaceAndEverythingUnderIt() throws SQLException {
		UUID doomed = createUser(this.connection, "doomed@example.test");
		UUID survivor = createUser(this.connection, "survivor@example.test");
		UUID doomedWs = workspaceOf(this.connection, doomed);
		UUID survivorWs = workspaceOf(this.connection, survivor);
		populate(doomed, doomedWs);
		populate(survivor, survivorWs);
		// the doomed user also chatted, signed in, in the survivor's workspace
		update(this.connection, "INSERT INTO conversations (workspace_id, user_id) VALUES (?, ?)", survivorWs, doomed);

		Map<String, Long> before = rowsPerWorkspaceTable(doomedWs);
		assertThat(before.keySet()).containsAll(POPULATED);
		assertThat(before).allSatisfy((table, n) -> {
			// populate() writes these (other modules' tables, e.g. projections, may stay empty)
			if (POPULATED.contains(table)) {
				assertThat(n).as(table).isGreaterThanOrEqualTo(1);
			}
		});
		Map<String, Long> survivorBefore = rowsPerWorkspaceTable(survivorWs);

		assertThat(update(this.connection, "DELETE FROM auth.users WHERE id = ?", doomed)).isEqualTo(1);

		assertThat(count(this.connection, "SELECT count(*) FROM workspaces WHERE id = ?", doomedWs)).isZero();
		assertThat(count(this.connection, "SELECT count(*) FROM profiles WHERE id = ?", doomed)).isZero();
		Map<String, Long> after = rowsPerWorkspaceTable(doomedWs);
		after.forEach((table, n) -> {
			// The outbox keeps events for audit/replay until pruned: no foreign key on purpose.
			// (workspace_stats, the CDC projection, has none either: the relay removes its rows.)
			assertThat(n).as(table).isEqualTo(List.of("outbox_events", "workspace_stats").contains(table) ? before.get(table) : 0L);
		});
		// The survivor keeps everything, minus the doomed user's own conversation.
		Map<String, Long> survivorAfter = rowsPerWorkspaceTable(survivorWs);
		survivorBefore.put("conversations", survivorBefore.get("conversations") - 1);
		assertThat(survivorAfter).isEqualTo(survivorBefore);
		assertThat(count(this.connection, "SELECT count(*) FROM conversations WHERE user_id = ?", doomed)).isZero();
	}

	@Test
	void deletingAQaPairClearsTheGapsReferencesButKeepsTheGaps() throws SQLException {
		UUID user = createUser(this.connection, "qa-owner@example.test");
		UUID ws = workspaceOf(this.connection, user);
		UUID qa = (UUID) single(this.connection, "INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (?, 'Q1', 'A1') RETURNING id", ws);
		UUID other = (UUID) single(this.connection, "INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (?, 'Q2', 'A2') RETURNING id", ws);
		UUID gap1 = (UUID) single(this.connection, "INSERT INTO qa_gaps (workspace_id, question, best_match_id, resolved_qa_id, status) VALUES (?, 'g1', ?, ?, 'resolved') RETURNING id", ws, qa, qa);
		UUID gap2 = (UUID) single(this.connection, "INSERT INTO qa_gaps (workspace_id, question, best_match_id, resolved_qa_id, status) VALUES (?, 'g2', ?, ?, 'resolved') RETURNING id", ws, qa, other);

		update(this.connection, "DELETE FROM qa_pairs WHERE id = ?", qa);

		assertThat(rows(this.connection, "SELECT best_match_id, resolved_qa_id, workspace_id, status FROM qa_gaps WHERE id = ?", gap1))
			.containsExactly(java.util.Arrays.asList(null, null, ws, "resolved"));
		assertThat(rows(this.connection, "SELECT best_match_id, resolved_qa_id FROM qa_gaps WHERE id = ?", gap2))
			.containsExactly(java.util.Arrays.asList(null, other));
	}

	@Test
	void deletingAConversationRemovesItsMessagesAndLinksAndClearsReferences() throws SQLException {
		UUID user = createUser(this.connection, "conv-owner@example.test");
		UUID ws = workspaceOf(this.connection, user);
		populate(user, ws);
		UUID conversation = (UUID) single(this.connection, "SELECT id FROM conversations WHERE workspace_id = ?", ws);

		update(this.connection, "DELETE FROM conversations WHERE id = ?", conversation);

		assertThat(count(this.connection, "SELECT count(*) FROM messages WHERE conversation_id = ?", conversation)).isZero();
		assertThat(count(this.connection, "SELECT count(*) FROM document_conversation_links WHERE conversation_id = ?", conversation)).isZero();
		assertThat(rows(this.connection, "SELECT session_id, workspace_id FROM qa_gaps WHERE workspace_id = ?", ws))
			.containsExactly(java.util.Arrays.asList(null, ws));
		assertThat(rows(this.connection, "SELECT conversation_id, workspace_id FROM api_usage WHERE workspace_id = ?", ws))
			.containsExactly(java.util.Arrays.asList(null, ws));
		assertThat(count(this.connection, "SELECT count(*) FROM documents WHERE workspace_id = ?", ws)).isEqualTo(1);
	}

	@Test
	void deletingADocumentRemovesItsChunksAndLinks() throws SQLException {
		UUID user = createUser(this.connection, "doc-owner@example.test");
		UUID ws = workspaceOf(this.connection, user);
		populate(user, ws);
		update(this.connection, "DELETE FROM documents WHERE workspace_id = ?", ws);
		assertThat(count(this.connection, "SELECT count(*) FROM document_chunks WHERE workspace_id = ?", ws)).isZero();
		assertThat(count(this.connection, "SELECT count(*) FROM document_conversation_links WHERE workspace_id = ?", ws)).isZero();
		assertThat(count(this.connection, "SELECT count(*) FROM conversations WHERE workspace_id = ?", ws)).isEqualTo(1);
	}

	@Test
	void rowsCannotReferenceAnotherTenantsRows() throws SQLException {
		UUID a = createUser(this.connection, "tenant-a@example.test");
		UUID b = createUser(this.connection, "tenant-b@example.test");
		UUID wsA = workspaceOf(this.connection, a);
		UUID wsB = workspaceOf(this.connection, b);
		populate(a, wsA);
		UUID qaA = (UUID) single(this.connection, "SELECT id FROM qa_pairs WHERE workspace_id = ?", wsA);
		UUID convA = (UUID) single(this.connection, "SELECT id FROM conversations WHERE workspace_id = ?", wsA);
		UUID docA = (UUID) single(this.connection, "SELECT id FROM documents WHERE workspace_id = ?", wsA);
		UUID gapA = (UUID) single(this.connection, "SELECT id FROM qa_gaps WHERE workspace_id = ?", wsA);
		UUID convB = (UUID) single(this.connection, "INSERT INTO conversations (workspace_id, session_token) VALUES (?, 'b') RETURNING id", wsB);
		Connection c = this.connection;
		for (String sql : List.of(
				"INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES ('" + convA + "', '" + wsB + "', 'user', 'x')",
				"INSERT INTO qa_gaps (workspace_id, question, best_match_id) VALUES ('" + wsB + "', 'q', '" + qaA + "')",
				"INSERT INTO qa_gaps (workspace_id, question, resolved_qa_id) VALUES ('" + wsB + "', 'q', '" + qaA + "')",
				"INSERT INTO qa_gaps (workspace_id, question, session_id) VALUES ('" + wsB + "', 'q', '" + convA + "')",
				"INSERT INTO qa_gaps (workspace_id, question, group_id) VALUES ('" + wsB + "', 'q', '" + gapA + "')",
				"INSERT INTO document_chunks (document_id, workspace_id, chunk_index, content) VALUES ('" + docA + "', '" + wsB + "', 5, 'x')",
				"INSERT INTO document_conversation_links (document_id, conversation_id, workspace_id) VALUES ('" + docA + "', '" + convB + "', '" + wsB + "')",
				"INSERT INTO document_conversation_links (document_id, conversation_id, workspace_id) VALUES ('" + docA + "', '" + convB + "', '" + wsA + "')",
				"INSERT INTO api_usage (workspace_id, provider, model, conversation_id) VALUES ('" + wsB + "', 'openai', 'gpt-4o', '" + convA + "')",
				"UPDATE conversations SET workspace_id = '" + wsB + "' WHERE id = '" + convA + "'")) {
			assertThat(sqlStateOf(c, () -> update(c, sql))).as(sql).isEqualTo("23503");
		}
	}

}
