package dev.clara.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.clara.schema.SchemaTestDatabase.createUser;
import static dev.clara.schema.SchemaTestDatabase.single;
import static dev.clara.schema.SchemaTestDatabase.strings;
import static dev.clara.schema.SchemaTestDatabase.update;
import static dev.clara.schema.SchemaTestDatabase.workspaceOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * updated_at moves on every table that has it; on qa_pairs only for content changes; a new
 * message moves its conversation's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpdatedAtIntegrationTests {

	private static final OffsetDateTime LONG_AGO = OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

	private SchemaTestDatabase db;

	private Connection connection;

	private UUID owner;

	private UUID workspace;

	@BeforeAll
	void setUp() throws SQLException {
		this.db = SchemaTestDatabase.migrated("schema_updated_at");
		this.connection = this.db.connect();
		this.owner = createUser(this.connection, "updated@example.test");
		this.workspace = workspaceOf(this.connection, this.owner);
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.connection.close();
		this.db.close();
	}

	/** A row whose updated_at is long ago (INSERT does not fire the update triggers), its key, and a content update. */
	private record Case(String insertReturningKey, String keyColumn, String contentUpdate) {
	}

	@Test
	void everyTableWithUpdatedAtMovesItOnUpdate() throws SQLException {
		Map<String, Case> cases = new LinkedHashMap<>();
		String ws = this.workspace.toString();
		UUID user = UUID.randomUUID();
		update(this.connection, "INSERT INTO auth.users (id, email) VALUES (?, 'profile@example.test')", user);
		cases.put("profiles", new Case("UPDATE profiles SET updated_at = '2000-01-01Z' WHERE id = '" + user + "' RETURNING id", "id",
				"UPDATE profiles SET display_name = 'Ann' WHERE id = ?"));
		cases.put("workspaces", new Case("UPDATE workspaces SET updated_at = '2000-01-01Z' WHERE id = '" + ws + "' RETURNING id", "id",
				"UPDATE workspaces SET name = 'Renamed' WHERE id = ?"));
		cases.put("embedding_models", new Case("INSERT INTO embedding_models (id, provider, dimensions, confidence_threshold, near_duplicate_threshold, gap_grouping_threshold, search_floor, updated_at) VALUES ('test-model', 'local', 8, 0.5, 0.9, 0.8, 0.2, '2000-01-01Z') RETURNING id", "id",
				"UPDATE embedding_models SET notes = 'measured' WHERE id = ?"));
		cases.put("qa_pairs", new Case("INSERT INTO qa_pairs (workspace_id, question, answer, updated_at) VALUES ('" + ws + "', 'Q', 'A', '2000-01-01Z') RETURNING id", "id",
				"UPDATE qa_pairs SET answer = 'B' WHERE id = ?"));
		cases.put("conversations", new Case("INSERT INTO conversations (workspace_id, session_token, updated_at) VALUES ('" + ws + "', 'tok', '2000-01-01Z') RETURNING id", "id",
				"UPDATE conversations SET escalated = true, escalated_at = now() WHERE id = ?"));
		cases.put("api_keys", new Case("INSERT INTO api_keys (workspace_id, provider, model, encrypted_key, key_id, key_last4, updated_at) VALUES ('" + ws + "', 'openai', 'gpt-4o', 'aa:bb:cc', 'k', 'abcd', '2000-01-01Z') RETURNING id", "id",
				"UPDATE api_keys SET is_active = false WHERE id = ?"));
		cases.put("documents", new Case("INSERT INTO documents (workspace_id, title, updated_at) VALUES ('" + ws + "', 'Doc', '2000-01-01Z') RETURNING id", "id",
				"UPDATE documents SET status = 'ready' WHERE id = ?"));

		cases.put("workspace_stats", new Case("INSERT INTO workspace_stats (workspace_id, updated_at) VALUES ('" + ws + "', '2000-01-01Z') RETURNING workspace_id", "workspace_id",
				"UPDATE workspace_stats SET sessions = sessions + 1 WHERE workspace_id = ?"));
		cases.put("qa_import_jobs", new Case("INSERT INTO qa_import_jobs (workspace_id, file_sha256, file_bytes, updated_at) VALUES ('" + ws + "', repeat('a', 64), 1, '2000-01-01Z') RETURNING id", "id",
				"UPDATE qa_import_jobs SET processed_rows = 1 WHERE id = ?"));
		cases.put("storage_object_contents", new Case("WITH o AS (INSERT INTO storage.objects (bucket_id, name) VALUES ('chatbot-assets', '" + ws + "/avatar.png') RETURNING id) "
				+ "INSERT INTO storage_object_contents (object_id, workspace_id, content, content_type, sha256, updated_at) SELECT id, '" + ws + "', '\\x00', 'image/png', repeat('a', 64), '2000-01-01Z' FROM o RETURNING object_id", "object_id",
				"UPDATE storage_object_contents SET content_type = 'image/gif' WHERE object_id = ?"));
		UUID conversation = UUID.randomUUID();
		update(this.connection, "INSERT INTO conversations (id, workspace_id, session_token) VALUES (?, ?, 'feedback-tok')", conversation, this.workspace);
		update(this.connection, "INSERT INTO messages (conversation_id, workspace_id, message_id, role, content) VALUES (?, ?, ?, 'assistant', 'A')", conversation, this.workspace, conversation);
		cases.put("message_feedback", new Case("INSERT INTO message_feedback (workspace_id, conversation_id, message_id, rating, updated_at) VALUES ('" + ws + "', '" + conversation + "', '" + conversation + "', 'up', '2000-01-01Z') RETURNING id", "id",
				"UPDATE message_feedback SET rating = 'down' WHERE id = ?"));
		// The cases cover exactly the tables that have the column.
		assertThat(strings(this.connection, """
				SELECT c.table_name FROM information_schema.columns c
				  JOIN information_schema.tables t USING (table_schema, table_name)
				 WHERE c.table_schema = 'public' AND c.column_name = 'updated_at' AND t.table_type = 'BASE TABLE'
				 ORDER BY 1"""))
			.containsExactlyInAnyOrderElementsOf(cases.keySet());

		for (Map.Entry<String, Case> entry : cases.entrySet()) {
			String table = entry.getKey();
			Case testCase = entry.getValue();
			Object key;
			if (testCase.insertReturningKey().startsWith("UPDATE")) {
				// Existing rows: park updated_at in the past with the trigger off for this one statement.
				update(this.connection, "ALTER TABLE " + table + " DISABLE TRIGGER set_updated_at_" + table);
				key = single(this.connection, testCase.insertReturningKey());
				update(this.connection, "ALTER TABLE " + table + " ENABLE TRIGGER set_updated_at_" + table);
			}
			else {
				key = single(this.connection, testCase.insertReturningKey());
			}
			assertThat(updatedAt(table, testCase.keyColumn(), key)).as(table).isEqualTo(LONG_AGO);
			assertThat(update(this.connection, testCase.contentUpdate(), key)).as(table).isEqualTo(1);
			assertThat(updatedAt(table, testCase.keyColumn(), key)).as(table).isAfter(LONG_AGO.plusYears(20));
		}
	}

	@Test
	void qaPairsUpdatedAtMovesOnlyWhenTheContentChanges() throws SQLException {
		Object id = single(this.connection, "INSERT INTO qa_pairs (workspace_id, question, answer, updated_at) VALUES (?, 'What is the price?', '10 EUR', '2000-01-01Z') RETURNING id", this.workspace);

		// The embedding worker writes the vector: no move.
		update(this.connection, """
				UPDATE qa_pairs SET embedding = array_fill(0.5, ARRAY[384])::real[]::extensions.vector,
				       embedding_model = 'all-minilm-l6-v2-q', embedded_at = now()
				 WHERE id = ? AND question = 'What is the price?'""", id);
		assertThat(updatedAt("qa_pairs", "id", id)).isEqualTo(LONG_AGO);
		// Neither do metadata, source, or an explicit attempt to set updated_at.
		update(this.connection, "UPDATE qa_pairs SET metadata = '{\"import_batch_id\": \"b1\"}', source = 'csv_import' WHERE id = ?", id);
		update(this.connection, "UPDATE qa_pairs SET updated_at = now() WHERE id = ?", id);
		// Nor a no-op write of the content columns.
		update(this.connection, "UPDATE qa_pairs SET question = question, answer = answer, category = category, is_active = is_active WHERE id = ?", id);
		assertThat(updatedAt("qa_pairs", "id", id)).isEqualTo(LONG_AGO);

		for (String change : new String[] { "question = 'What does it cost?'", "answer = '12 EUR'", "category = 'pricing'",
				"is_active = false" }) {
			assertThat(updatedAt("qa_pairs", "id", id)).as(change).isEqualTo(LONG_AGO);
			update(this.connection, "UPDATE qa_pairs SET " + change + " WHERE id = ?", id);
			assertThat(updatedAt("qa_pairs", "id", id)).as(change).isAfter(LONG_AGO.plusYears(20));
			// park it in the past again, with the trigger off for that one statement
			update(this.connection, "ALTER TABLE qa_pairs DISABLE TRIGGER set_updated_at_qa_pairs");
			update(this.connection, "UPDATE qa_pairs SET updated_at = '2000-01-01Z' WHERE id = ?", id);
			update(this.connection, "ALTER TABLE qa_pairs ENABLE TRIGGER set_updated_at_qa_pairs");
		}
	}

	@Test
	void aNewMessageMovesItsConversationsUpdatedAt() throws SQLException {
		Object conversation = single(this.connection, "INSERT INTO conversations (workspace_id, session_token, updated_at) VALUES (?, 'msg-tok', '2000-01-01Z') RETURNING id", this.workspace);
		Object other = single(this.connection, "INSERT INTO conversations (workspace_id, session_token, updated_at) VALUES (?, 'other-tok', '2000-01-01Z') RETURNING id", this.workspace);
		update(this.connection, "INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES (?, ?, 'user', 'Hello?')", conversation, this.workspace);
		assertThat(updatedAt("conversations", "id", conversation)).isAfter(LONG_AGO.plusYears(20));
		assertThat(updatedAt("conversations", "id", other)).isEqualTo(LONG_AGO);
	}

	/**
	 * A chat turn's shape: the conversation written, then its messages, in one transaction. The
	 * conversation already carries the transaction's now(), so the messages leave its row as it is
	 * (an update would give it a new version, and a new ctid).
	 */
	@Test
	void messagesDoNotRewriteAConversationTheirTransactionJustTouched() throws SQLException {
		this.connection.setAutoCommit(false);
		try {
			Object conversation = single(this.connection,
					"INSERT INTO conversations (workspace_id, session_token) VALUES (?, 'turn-tok') RETURNING id", this.workspace);
			Object written = single(this.connection, "SELECT ctid::text FROM conversations WHERE id = ?", conversation);
			update(this.connection, "INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES (?, ?, 'user', 'Hi')",
					conversation, this.workspace);
			update(this.connection, "INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES (?, ?, 'assistant', 'Hello')",
					conversation, this.workspace);
			assertThat(single(this.connection, "SELECT ctid::text FROM conversations WHERE id = ?", conversation))
				.isEqualTo(written);
			assertThat(single(this.connection, "SELECT updated_at = now() FROM conversations WHERE id = ?", conversation))
				.isEqualTo(true);
		}
		finally {
			this.connection.rollback();
			this.connection.setAutoCommit(true);
		}
	}

	private OffsetDateTime updatedAt(String table, String keyColumn, Object key) throws SQLException {
		java.sql.Timestamp value = (java.sql.Timestamp) single(this.connection,
				"SELECT updated_at FROM " + table + " WHERE " + keyColumn + " = ?", key);
		return value.toInstant().atOffset(ZoneOffset.UTC);
	}

}
