package dev.clara.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
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

/** Conversations (widget sessions and signed-in users' chats), messages and the chat_sessions view. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConversationsIntegrationTests {

	private SchemaTestDatabase db;

	private Connection connection;

	private UUID owner;

	private UUID workspace;

	@BeforeAll
	void setUp() throws SQLException {
		this.db = SchemaTestDatabase.migrated("schema_conversations");
		this.connection = this.db.connect();
		this.owner = createUser(this.connection, "conversations@example.test");
		this.workspace = workspaceOf(this.connection, this.owner);
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.connection.close();
		this.db.close();
	}

	@Test
	void aConversationBelongsToAUserOrASessionTokenUniquePerWorkspace() throws SQLException {
		Connection c = this.connection;
		assertThat(sqlStateOf(c, () -> update(c, "INSERT INTO conversations (workspace_id) VALUES (?)", this.workspace)))
			.isEqualTo("23514");
		update(c, "INSERT INTO conversations (workspace_id, session_token) VALUES (?, 'dup-token')", this.workspace);
		assertThat(sqlStateOf(c, () -> update(c, "INSERT INTO conversations (workspace_id, session_token) VALUES (?, 'dup-token')", this.workspace)))
			.isEqualTo("23505");
		UUID otherWs = workspaceOf(c, createUser(c, "conv-other@example.test"));
		assertThat(update(c, "INSERT INTO conversations (workspace_id, session_token) VALUES (?, 'dup-token')", otherWs)).isEqualTo(1);
		assertThat(update(c, "INSERT INTO conversations (workspace_id, user_id) VALUES (?, ?)", this.workspace, this.owner)).isEqualTo(1);
	}

	@Test
	void aRetriedMessageIsNotStoredTwice() throws SQLException {
		Connection c = this.connection;
		UUID conversation = (UUID) single(c, "INSERT INTO conversations (workspace_id, session_token) VALUES (?, 'retry') RETURNING id", this.workspace);
		UUID messageId = UUID.randomUUID();
		String insert = "INSERT INTO messages (conversation_id, workspace_id, message_id, role, content) VALUES (?, ?, ?, 'user', 'Hi') ON CONFLICT (conversation_id, message_id) DO NOTHING";
		assertThat(update(c, insert, conversation, this.workspace, messageId)).isEqualTo(1);
		assertThat(update(c, insert, conversation, this.workspace, messageId)).isZero();
		assertThat(sqlStateOf(c, () -> update(c, "INSERT INTO messages (conversation_id, workspace_id, message_id, role, content) VALUES (?, ?, ?, 'user', 'Hi')",
				conversation, this.workspace, messageId))).isEqualTo("23505");
		assertThat(sqlStateOf(c, () -> update(c, "INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES (?, ?, 'bot', 'Hi')",
				conversation, this.workspace))).isEqualTo("23514");
		assertThat(count(c, "SELECT count(*) FROM messages WHERE conversation_id = ?", conversation)).isEqualTo(1);
	}

	@Test
	void chatSessionsPresentsTheConversationIn004Shape() throws SQLException {
		Connection c = this.connection;
		UUID conversation = (UUID) single(c, "INSERT INTO conversations (workspace_id, session_token, visitor_name, metadata) VALUES (?, 'view-token', 'Ann', '{\"page\": \"/pricing\"}') RETURNING id", this.workspace);
		UUID userMessage = UUID.randomUUID();
		UUID assistantMessage = UUID.randomUUID();
		UUID qa = UUID.randomUUID();
		// A chat turn: both messages in one transaction (same now()), order kept by created_at.
		c.setAutoCommit(false);
		update(c, "INSERT INTO messages (conversation_id, workspace_id, message_id, role, content) VALUES (?, ?, ?, 'user', 'How much is it?')",
				conversation, this.workspace, userMessage);
		update(c, """
				INSERT INTO messages (conversation_id, workspace_id, message_id, role, content, metadata)
				VALUES (?, ?, ?, 'assistant', 'Plans start at $19.', jsonb_build_object(
				  'model', 'gpt-4o-mini', 'tokens', jsonb_build_object('prompt', 120, 'completion', 18), 'latency_ms', 812,
				  'matched_qa_ids', jsonb_build_array(?::text), 'confidence', 0.91,
				  'suggestion_chips', jsonb_build_array('Is there a free trial?'), 'gap_detected', false, 'escalation_offered', false))""",
				conversation, this.workspace, assistantMessage, qa.toString());
		c.commit();
		c.setAutoCommit(true);

		List<List<Object>> row = rows(c, """
				SELECT session_token, visitor_name, metadata->>'page', escalated, summary IS NULL,
				       jsonb_array_length(messages),
				       messages->0->>'message_id', messages->0->>'role', messages->0->>'content', jsonb_exists(messages->0, 'timestamp'),
				       jsonb_exists(messages->0, 'confidence'),
				       messages->1->>'message_id', messages->1->>'role', messages->1->>'confidence',
				       messages->1->'matched_qa_ids'->>0, messages->1->'suggestion_chips'->>0,
				       messages->1->>'gap_detected', messages->1->>'escalation_offered', jsonb_exists(messages->1, 'model'),
				       (messages->0->>'timestamp')::timestamptz <= (messages->1->>'timestamp')::timestamptz
				  FROM chat_sessions WHERE id = ?""", conversation);
		assertThat(row).containsExactly(List.of("view-token", "Ann", "/pricing", false, true, 2,
				userMessage.toString(), "user", "How much is it?", true, false,
				assistantMessage.toString(), "assistant", "0.91", qa.toString(), "Is there a free trial?", "false", "false",
				false, true));

		// A signed-in user's conversation (no session token) is not a widget session.
		UUID signedIn = (UUID) single(c, "INSERT INTO conversations (workspace_id, user_id) VALUES (?, ?) RETURNING id", this.workspace, this.owner);
		assertThat(count(c, "SELECT count(*) FROM chat_sessions WHERE id = ?", signedIn)).isZero();
		assertThat(strings(c, "SELECT messages::text FROM chat_sessions WHERE session_token = 'nobody-wrote'")).isEmpty();
		UUID empty = (UUID) single(c, "INSERT INTO conversations (workspace_id, session_token) VALUES (?, 'empty') RETURNING id", this.workspace);
		assertThat(strings(c, "SELECT messages::text FROM chat_sessions WHERE id = ?", empty)).containsExactly("[]");
	}

}
