package dev.clara.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static dev.clara.schema.SchemaTestDatabase.createUser;
import static dev.clara.schema.SchemaTestDatabase.single;
import static dev.clara.schema.SchemaTestDatabase.update;
import static dev.clara.schema.SchemaTestDatabase.workspaceOf;

/**
 * The data the row-level security tests run against, on a database of the test class's own: a
 * workspace owner with a row in every table (and view), a second signed-in user with a workspace
 * of their own, a signed-in visitor with a conversation in the owner's workspace, and per table
 * the statements that exercise the owner's row ({@link TableOps}). The tests act in rolled-back
 * transactions, so every test finds the data as built here.
 */
final class RowLevelSecurityFixture implements AutoCloseable {

	/**
	 * How to exercise one table on the owner's row. {@code prepareInsert} (or null) runs first, as
	 * the superuser, to make the insert possible: it removes the row the insert would collide with
	 * or adds the row the insert refers to.
	 */
	record TableOps(String select, String prepareInsert, String insert, String update, String delete) {
	}

	/** Per table (in the order of the access table), how to exercise it. */
	final Map<String, TableOps> ops = new LinkedHashMap<>();

	final SchemaTestDatabase db;

	/** The superuser's connection the tests open their rolled-back transactions on. */
	final Connection connection;

	final UUID owner;

	final UUID otherUser;

	/** A signed-in user who owns nothing here: a visitor of the owner's chat. */
	final UUID visitor;

	/** The owner's workspace. */
	final UUID workspace;

	/** The other user's workspace. */
	final UUID otherWorkspace;

	/** The visitor's conversation in the owner's workspace, with one message. */
	final UUID visitorConversation;

	RowLevelSecurityFixture(String purpose) throws SQLException {
		this.db = SchemaTestDatabase.migrated(purpose);
		this.connection = this.db.connect();
		Connection c = this.connection;
		this.owner = createUser(c, "owner@example.test");
		this.otherUser = createUser(c, "other@example.test");
		this.visitor = createUser(c, "visitor@example.test");
		this.workspace = workspaceOf(c, this.owner);
		this.otherWorkspace = workspaceOf(c, this.otherUser);
		UUID ws = this.workspace;

		UUID qa = id(c, "INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (?, 'What is Clara?', 'A chatbot.') RETURNING id", ws);
		id(c, "INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (?, 'Other tenant?', 'Yes.') RETURNING id", this.otherWorkspace);
		UUID conversation = id(c, "INSERT INTO conversations (workspace_id, session_token) VALUES (?, 'token-a') RETURNING id", ws);
		UUID conversation2 = id(c, "INSERT INTO conversations (workspace_id, session_token) VALUES (?, 'token-b') RETURNING id", ws);
		UUID message = id(c, "INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES (?, ?, 'user', 'Hello') RETURNING id", conversation, ws);
		UUID gap = id(c, "INSERT INTO qa_gaps (workspace_id, question) VALUES (?, 'Do you ship to Mars?') RETURNING id", ws);
		UUID key = id(c, "INSERT INTO api_keys (workspace_id, provider, model, encrypted_key, key_id, key_last4) VALUES (?, 'openai', 'gpt-4o', '00aa:11bb:22cc', 'master-1', 'wxyz') RETURNING id", ws);
		UUID document = id(c, "INSERT INTO documents (workspace_id, title) VALUES (?, 'Handbook') RETURNING id", ws);
		UUID chunk = id(c, "INSERT INTO document_chunks (document_id, workspace_id, chunk_index, content) VALUES (?, ?, 0, 'Chapter 1') RETURNING id", document, ws);
		update(c, "INSERT INTO document_conversation_links (document_id, conversation_id, workspace_id) VALUES (?, ?, ?)", document, conversation, ws);
		UUID usage = id(c, "INSERT INTO api_usage (workspace_id, provider, model, total_tokens) VALUES (?, 'openai', 'gpt-4o', 42) RETURNING id", ws);
		UUID token = id(c, "INSERT INTO access_tokens (workspace_id, name, prefix, key_hash) VALUES (?, 'CI', 'clk_ab', 'hash-1') RETURNING id", ws);
		UUID event = id(c, "INSERT INTO outbox_events (workspace_id, aggregate_type, aggregate_id, event_type, payload) VALUES (?, 'qa_pair', 'x', 'QaPairCreated', '{}') RETURNING id", ws);
		update(c, "INSERT INTO processed_events (consumer, event_id) VALUES ('test-consumer', ?)", event);
		UUID object = id(c, "INSERT INTO storage.objects (bucket_id, name) VALUES ('chatbot-assets', ? || '/avatar.png') RETURNING id", ws.toString());
		update(c, "INSERT INTO workspace_stats (workspace_id, sessions) VALUES (?, 3)", ws);
		update(c, "INSERT INTO document_chunk_staged_embeddings (chunk_id, workspace_id, embedding_model, embedding) VALUES (?, ?, 'bge-small-en-v1.5-q', array_fill(0.1, ARRAY[384])::real[]::extensions.vector)", chunk, ws);
		update(c, "INSERT INTO qa_pair_staged_embeddings (qa_pair_id, workspace_id, embedding_model, embedding, question) VALUES (?, ?, 'bge-small-en-v1.5-q', array_fill(0.1, ARRAY[384])::real[]::extensions.vector, 'What is Clara?')", qa, ws);
		update(c, "INSERT INTO rate_limit_counters (bucket, window_start) VALUES ('ip:192.0.2.1', '2026-01-01T00:00:00Z')");
		UUID job = id(c, "INSERT INTO qa_import_jobs (workspace_id, file_sha256, file_bytes) VALUES (?, repeat('a', 64), 10) RETURNING id", ws);
		update(c, "INSERT INTO qa_import_rows (job_id, workspace_id, row_number, line_number, outcome) VALUES (?, ?, 1, 2, 'imported')", job, ws);
		update(c, "INSERT INTO owner_refresh_tokens (session_id, user_id, token_hash, expires_at) VALUES (gen_random_uuid(), ?, repeat('b', 64), now() + interval '1 day')", this.owner);
		update(c, "INSERT INTO owner_account_tokens (user_id, purpose, token_hash, expires_at) VALUES (?, 'recover', repeat('b', 64), now() + interval '30 minutes')", this.owner);
		update(c, "INSERT INTO owner_auth_throttle (bucket, window_start) VALUES ('address:192.0.2.1', '2026-01-01T00:00:00Z')");
		update(c, "INSERT INTO owner_identities (user_id, provider, issuer, subject) VALUES (?, 'google', 'https://accounts.google.com', '1001')", this.owner);
		update(c, "INSERT INTO storage_object_contents (object_id, workspace_id, content, content_type, sha256) VALUES (?, ?, '\\x89504e47', 'image/png', repeat('c', 64))", object, ws);
		update(c, "INSERT INTO answer_models (workspace_id, version, embedding_model, model, groups, pair_count, group_count, fingerprint, iterations, converged, loss, training_ms) VALUES (?, 1, 'bge-small-en-v1.5-q', '\\x00', '[]', 1, 1, 'f1', 0, true, 0, 0)", ws);
		update(c, "INSERT INTO answer_model_requests (workspace_id) VALUES (?)", ws);
		UUID testQuestion = id(c, "INSERT INTO answer_test_questions (workspace_id, question, expected_qa_id) VALUES (?, 'What is Clara?', ?) RETURNING id", ws, qa);
		update(c, "INSERT INTO answer_test_results (workspace_id, model_version, test_question_id, outcome, confidence) VALUES (?, 1, ?, 'right', 0.9)", ws, testQuestion);
		UUID answer = id(c, "INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES (?, ?, 'assistant', 'Hi!') RETURNING message_id", conversation, ws);
		UUID answer2 = id(c, "INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES (?, ?, 'assistant', 'Again!') RETURNING message_id", conversation, ws);
		UUID feedback = id(c, "INSERT INTO message_feedback (workspace_id, conversation_id, message_id, rating) VALUES (?, ?, ?, 'down') RETURNING id", ws, conversation, answer);
		UUID suggestion = id(c, "INSERT INTO phrasing_suggestions (workspace_id, qa_pair_id, phrasing, source_conversation_id, source_message_id) VALUES (?, ?, 'what is clara', ?, ?) RETURNING id", ws, qa, conversation, answer);
		UUID identitySecret = id(c, "INSERT INTO identity_secrets (workspace_id, encrypted_secret, key_id, secret_last4) VALUES (?, '00aa:11bb:22cc', 'master-1', 'wxyz') RETURNING id", ws);
		UUID endUser = id(c, "INSERT INTO end_users (workspace_id, external_id) VALUES (?, 'u-1') RETURNING id", ws);
		UUID transcript = id(c, "INSERT INTO transcripts (workspace_id, title, format, extracted_by, created_by) VALUES (?, 'Support chat', 'text', 'extractive', ?) RETURNING id", ws, this.owner);
		UUID transcriptSuggestion = id(c, "INSERT INTO transcript_suggestions (workspace_id, transcript_id, question, answer) VALUES (?, ?, 'Do you ship abroad?', 'Yes.') RETURNING id", ws, transcript);
		update(c, "INSERT INTO spend_cap_events (workspace_id, month, budget, tokens) VALUES (?, '2026-01-01', 100, 120)", ws);
		this.visitorConversation = id(c, "INSERT INTO conversations (workspace_id, user_id) VALUES (?, ?) RETURNING id", ws, this.visitor);
		update(c, "INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES (?, ?, 'user', 'Hi, it is me')", this.visitorConversation, ws);

		this.ops.put("profiles", new TableOps(
				q("SELECT count(*) FROM profiles WHERE id = '%s'", this.owner),
				q("DELETE FROM profiles WHERE id = '%s'", this.owner),
				q("INSERT INTO profiles (id, display_name) VALUES ('%s', 'Me')", this.owner),
				q("UPDATE profiles SET display_name = 'New name' WHERE id = '%s'", this.owner),
				q("DELETE FROM profiles WHERE id = '%s'", this.owner)));
		this.ops.put("workspaces", new TableOps(
				q("SELECT count(*) FROM workspaces WHERE id = '%s'", ws),
				q("DELETE FROM workspaces WHERE owner_id = '%s'", this.owner),
				q("INSERT INTO workspaces (owner_id) VALUES ('%s')", this.owner),
				q("UPDATE workspaces SET name = 'Renamed' WHERE id = '%s'", ws),
				q("DELETE FROM workspaces WHERE id = '%s'", ws)));
		this.ops.put("embedding_models", new TableOps(
				"SELECT count(*) FROM embedding_models WHERE id = 'all-minilm-l6-v2-q'", null,
				"INSERT INTO embedding_models (id, provider, dimensions, confidence_threshold, near_duplicate_threshold, gap_grouping_threshold, search_floor) VALUES ('test-model', 'local', 8, 0.5, 0.9, 0.8, 0.2)",
				"UPDATE embedding_models SET notes = 'changed' WHERE id = 'all-minilm-l6-v2-q'",
				"DELETE FROM embedding_models WHERE id = 'all-minilm-l6-v2-q'"));
		this.ops.put("qa_pairs", new TableOps(
				q("SELECT count(*) FROM qa_pairs WHERE id = '%s'", qa), null,
				q("INSERT INTO qa_pairs (workspace_id, question, answer) VALUES ('%s', 'New?', 'Yes.')", ws),
				q("UPDATE qa_pairs SET answer = 'Changed.' WHERE id = '%s'", qa),
				q("DELETE FROM qa_pairs WHERE id = '%s'", qa)));
		this.ops.put("conversations", new TableOps(
				q("SELECT count(*) FROM conversations WHERE id = '%s'", conversation), null,
				q("INSERT INTO conversations (workspace_id, session_token) VALUES ('%s', 'token-new')", ws),
				q("UPDATE conversations SET title = 'Renamed' WHERE id = '%s'", conversation),
				q("DELETE FROM conversations WHERE id = '%s'", conversation)));
		this.ops.put("messages", new TableOps(
				q("SELECT count(*) FROM messages WHERE id = '%s'", message), null,
				q("INSERT INTO messages (conversation_id, workspace_id, role, content) VALUES ('%s', '%s', 'assistant', 'Hi!')", conversation, ws),
				q("UPDATE messages SET content = 'Edited' WHERE id = '%s'", message),
				q("DELETE FROM messages WHERE id = '%s'", message)));
		this.ops.put("chat_sessions", new TableOps(
				q("SELECT count(*) FROM chat_sessions WHERE id = '%s'", conversation), null,
				q("INSERT INTO chat_sessions (workspace_id, session_token) VALUES ('%s', 'token-view')", ws),
				q("UPDATE chat_sessions SET visitor_name = 'Ann' WHERE id = '%s'", conversation),
				q("DELETE FROM chat_sessions WHERE id = '%s'", conversation)));
		this.ops.put("qa_gaps", new TableOps(
				q("SELECT count(*) FROM qa_gaps WHERE id = '%s'", gap), null,
				q("INSERT INTO qa_gaps (workspace_id, question) VALUES ('%s', 'A new question?')", ws),
				q("UPDATE qa_gaps SET status = 'dismissed' WHERE id = '%s'", gap),
				q("DELETE FROM qa_gaps WHERE id = '%s'", gap)));
		this.ops.put("api_keys", new TableOps(
				q("SELECT count(*) FROM api_keys WHERE id = '%s'", key), null,
				q("INSERT INTO api_keys (workspace_id, provider, model, encrypted_key, key_id, key_last4) VALUES ('%s', 'anthropic', 'claude-haiku-4-5-20251001', 'aa:bb:cc', 'master-1', '1234')", ws),
				q("UPDATE api_keys SET label = 'Production' WHERE id = '%s'", key),
				q("DELETE FROM api_keys WHERE id = '%s'", key)));
		this.ops.put("documents", new TableOps(
				q("SELECT count(*) FROM documents WHERE id = '%s'", document), null,
				q("INSERT INTO documents (workspace_id, title) VALUES ('%s', 'Pricing sheet')", ws),
				q("UPDATE documents SET title = 'Renamed' WHERE id = '%s'", document),
				q("DELETE FROM documents WHERE id = '%s'", document)));
		this.ops.put("document_chunks", new TableOps(
				q("SELECT count(*) FROM document_chunks WHERE id = '%s'", chunk), null,
				q("INSERT INTO document_chunks (document_id, workspace_id, chunk_index, content) VALUES ('%s', '%s', 1, 'Chapter 2')", document, ws),
				q("UPDATE document_chunks SET content = 'Edited' WHERE id = '%s'", chunk),
				q("DELETE FROM document_chunks WHERE id = '%s'", chunk)));
		this.ops.put("document_conversation_links", new TableOps(
				q("SELECT count(*) FROM document_conversation_links WHERE document_id = '%s' AND conversation_id = '%s'", document, conversation), null,
				q("INSERT INTO document_conversation_links (document_id, conversation_id, workspace_id) VALUES ('%s', '%s', '%s')", document, conversation2, ws),
				q("UPDATE document_conversation_links SET created_at = now() WHERE document_id = '%s' AND conversation_id = '%s'", document, conversation),
				q("DELETE FROM document_conversation_links WHERE document_id = '%s' AND conversation_id = '%s'", document, conversation)));
		this.ops.put("api_usage", new TableOps(
				q("SELECT count(*) FROM api_usage WHERE id = '%s'", usage), null,
				q("INSERT INTO api_usage (workspace_id, provider, model, total_tokens) VALUES ('%s', 'openai', 'gpt-4o', 7)", ws),
				q("UPDATE api_usage SET total_tokens = 0 WHERE id = '%s'", usage),
				q("DELETE FROM api_usage WHERE id = '%s'", usage)));
		this.ops.put("spend_cap_events", new TableOps(
				q("SELECT count(*) FROM spend_cap_events WHERE workspace_id = '%s' AND month = '2026-01-01'", ws), null,
				q("INSERT INTO spend_cap_events (workspace_id, month, budget, tokens) VALUES ('%s', '2026-02-01', 100, 100)", ws),
				q("UPDATE spend_cap_events SET tokens = 130 WHERE workspace_id = '%s' AND month = '2026-01-01'", ws),
				q("DELETE FROM spend_cap_events WHERE workspace_id = '%s' AND month = '2026-01-01'", ws)));
		this.ops.put("access_tokens", new TableOps(
				q("SELECT count(*) FROM access_tokens WHERE id = '%s'", token), null,
				q("INSERT INTO access_tokens (workspace_id, name, prefix, key_hash) VALUES ('%s', 'Zapier', 'clk_cd', 'hash-2')", ws),
				q("UPDATE access_tokens SET revoked_at = now() WHERE id = '%s'", token),
				q("DELETE FROM access_tokens WHERE id = '%s'", token)));
		this.ops.put("outbox_events", new TableOps(
				q("SELECT count(*) FROM outbox_events WHERE id = '%s'", event), null,
				q("INSERT INTO outbox_events (workspace_id, aggregate_type, aggregate_id, event_type, payload) VALUES ('%s', 'qa_pair', 'y', 'QaPairCreated', '{}')", ws),
				q("UPDATE outbox_events SET payload = '{\"x\":1}' WHERE id = '%s'", event),
				q("DELETE FROM outbox_events WHERE id = '%s'", event)));
		this.ops.put("processed_events", new TableOps(
				q("SELECT count(*) FROM processed_events WHERE event_id = '%s'", event), null,
				"INSERT INTO processed_events (consumer, event_id) VALUES ('test-consumer', gen_random_uuid())",
				q("UPDATE processed_events SET processed_at = now() WHERE event_id = '%s'", event),
				q("DELETE FROM processed_events WHERE event_id = '%s'", event)));
		this.ops.put("workspace_stats", new TableOps(
				q("SELECT count(*) FROM workspace_stats WHERE workspace_id = '%s'", ws),
				q("DELETE FROM workspace_stats WHERE workspace_id = '%s'", ws),
				q("INSERT INTO workspace_stats (workspace_id) VALUES ('%s')", ws),
				q("UPDATE workspace_stats SET sessions = 4 WHERE workspace_id = '%s'", ws),
				q("DELETE FROM workspace_stats WHERE workspace_id = '%s'", ws)));
		this.ops.put("document_chunk_staged_embeddings", new TableOps(
				q("SELECT count(*) FROM document_chunk_staged_embeddings WHERE chunk_id = '%s'", chunk), null,
				q("INSERT INTO document_chunk_staged_embeddings (chunk_id, workspace_id, embedding_model, embedding) VALUES ('%s', '%s', 'all-minilm-l6-v2-q', array_fill(0.2, ARRAY[384])::real[]::extensions.vector)", chunk, ws),
				q("UPDATE document_chunk_staged_embeddings SET embedded_at = now() WHERE chunk_id = '%s'", chunk),
				q("DELETE FROM document_chunk_staged_embeddings WHERE chunk_id = '%s'", chunk)));
		this.ops.put("qa_pair_staged_embeddings", new TableOps(
				q("SELECT count(*) FROM qa_pair_staged_embeddings WHERE qa_pair_id = '%s'", qa), null,
				q("INSERT INTO qa_pair_staged_embeddings (qa_pair_id, workspace_id, embedding_model, embedding, question) VALUES ('%s', '%s', 'all-minilm-l6-v2-q', array_fill(0.2, ARRAY[384])::real[]::extensions.vector, 'What is Clara?')", qa, ws),
				q("UPDATE qa_pair_staged_embeddings SET embedded_at = now() WHERE qa_pair_id = '%s'", qa),
				q("DELETE FROM qa_pair_staged_embeddings WHERE qa_pair_id = '%s'", qa)));
		this.ops.put("rate_limit_counters", new TableOps(
				"SELECT count(*) FROM rate_limit_counters WHERE bucket = 'ip:192.0.2.1'", null,
				"INSERT INTO rate_limit_counters (bucket, window_start) VALUES ('ip:192.0.2.2', now())",
				"UPDATE rate_limit_counters SET hits = hits + 1 WHERE bucket = 'ip:192.0.2.1'",
				"DELETE FROM rate_limit_counters WHERE bucket = 'ip:192.0.2.1'"));
		// the fixture's pair noted its transaction here
		this.ops.put("qa_pair_search_changes", new TableOps(
				q("SELECT count(*) FROM qa_pair_search_changes WHERE workspace_id = '%s'", ws), null,
				q("INSERT INTO qa_pair_search_changes (workspace_id, xact) VALUES ('%s', pg_current_xact_id())", ws),
				q("UPDATE qa_pair_search_changes SET changed_at = now() WHERE workspace_id = '%s'", ws),
				q("DELETE FROM qa_pair_search_changes WHERE workspace_id = '%s'", ws)));
		this.ops.put("storage.objects", new TableOps(
				q("SELECT count(*) FROM storage.objects WHERE id = '%s'", object), null,
				q("INSERT INTO storage.objects (bucket_id, name) VALUES ('chatbot-assets', '%s/icon.png')", ws),
				q("UPDATE storage.objects SET metadata = '{\"size\": 1}' WHERE id = '%s'", object),
				q("DELETE FROM storage.objects WHERE id = '%s'", object)));
		this.ops.put("qa_import_jobs", new TableOps(
				q("SELECT count(*) FROM qa_import_jobs WHERE id = '%s'", job), null,
				q("INSERT INTO qa_import_jobs (workspace_id, file_sha256, file_bytes) VALUES ('%s', repeat('d', 64), 1)", ws),
				q("UPDATE qa_import_jobs SET processed_rows = 1 WHERE id = '%s'", job),
				q("DELETE FROM qa_import_jobs WHERE id = '%s'", job)));
		this.ops.put("qa_import_rows", new TableOps(
				q("SELECT count(*) FROM qa_import_rows WHERE job_id = '%s'", job), null,
				q("INSERT INTO qa_import_rows (job_id, workspace_id, row_number, line_number, outcome) VALUES ('%s', '%s', 2, 3, 'invalid')", job, ws),
				q("UPDATE qa_import_rows SET reason = 'changed' WHERE job_id = '%s'", job),
				q("DELETE FROM qa_import_rows WHERE job_id = '%s'", job)));
		this.ops.put("owner_refresh_tokens", new TableOps(
				q("SELECT count(*) FROM owner_refresh_tokens WHERE user_id = '%s'", this.owner), null,
				q("INSERT INTO owner_refresh_tokens (session_id, user_id, token_hash, expires_at) VALUES (gen_random_uuid(), '%s', repeat('e', 64), now())", this.owner),
				q("UPDATE owner_refresh_tokens SET used_at = now() WHERE user_id = '%s'", this.owner),
				q("DELETE FROM owner_refresh_tokens WHERE user_id = '%s'", this.owner)));
		this.ops.put("owner_account_tokens", new TableOps(
				q("SELECT count(*) FROM owner_account_tokens WHERE user_id = '%s'", this.owner), null,
				q("INSERT INTO owner_account_tokens (user_id, purpose, token_hash, expires_at) VALUES ('%s', 'confirm', repeat('e', 64), now())", this.owner),
				q("UPDATE owner_account_tokens SET used_at = now() WHERE user_id = '%s'", this.owner),
				q("DELETE FROM owner_account_tokens WHERE user_id = '%s'", this.owner)));
		this.ops.put("owner_auth_throttle", new TableOps(
				"SELECT count(*) FROM owner_auth_throttle WHERE bucket = 'address:192.0.2.1'", null,
				"INSERT INTO owner_auth_throttle (bucket, window_start) VALUES ('address:192.0.2.2', now())",
				"UPDATE owner_auth_throttle SET hits = hits + 1 WHERE bucket = 'address:192.0.2.1'",
				"DELETE FROM owner_auth_throttle WHERE bucket = 'address:192.0.2.1'"));
		this.ops.put("owner_identities", new TableOps(
				q("SELECT count(*) FROM owner_identities WHERE user_id = '%s'", this.owner), null,
				q("INSERT INTO owner_identities (user_id, provider, issuer, subject) VALUES ('%s', 'github', 'https://api.github.com', '2002')", this.owner),
				q("UPDATE owner_identities SET last_sign_in_at = now() WHERE user_id = '%s'", this.owner),
				q("DELETE FROM owner_identities WHERE user_id = '%s'", this.owner)));
		this.ops.put("storage_object_contents", new TableOps(
				q("SELECT count(*) FROM storage_object_contents WHERE object_id = '%s'", object),
				q("INSERT INTO storage.objects (bucket_id, name) VALUES ('chatbot-assets', '%s/icon.gif')", ws),
				q("INSERT INTO storage_object_contents (object_id, workspace_id, content, content_type, sha256) SELECT id, '%s', '\\x00', 'image/gif', repeat('f', 64) FROM storage.objects WHERE name = '%s/icon.gif'", ws, ws),
				q("UPDATE storage_object_contents SET content_type = 'image/gif' WHERE object_id = '%s'", object),
				q("DELETE FROM storage_object_contents WHERE object_id = '%s'", object)));
		this.ops.put("answer_models", new TableOps(
				q("SELECT count(*) FROM answer_models WHERE workspace_id = '%s'", ws), null,
				q("INSERT INTO answer_models (workspace_id, version, embedding_model, model, groups, pair_count, group_count, fingerprint, iterations, converged, loss, training_ms) VALUES ('%s', 2, 'bge-small-en-v1.5-q', '\\x00', '[]', 1, 1, 'f2', 0, true, 0, 0)", ws),
				q("UPDATE answer_models SET health = '{}' WHERE workspace_id = '%s'", ws),
				q("DELETE FROM answer_models WHERE workspace_id = '%s'", ws)));
		this.ops.put("answer_model_requests", new TableOps(
				q("SELECT count(*) FROM answer_model_requests WHERE workspace_id = '%s'", ws),
				q("DELETE FROM answer_model_requests WHERE workspace_id = '%s'", ws),
				q("INSERT INTO answer_model_requests (workspace_id) VALUES ('%s')", ws),
				q("UPDATE answer_model_requests SET claimed_until = now() WHERE workspace_id = '%s'", ws),
				q("DELETE FROM answer_model_requests WHERE workspace_id = '%s'", ws)));
		this.ops.put("answer_test_questions", new TableOps(
				q("SELECT count(*) FROM answer_test_questions WHERE id = '%s'", testQuestion), null,
				q("INSERT INTO answer_test_questions (workspace_id, question) VALUES ('%s', 'Do you ship to Mars?')", ws),
				q("UPDATE answer_test_questions SET question = 'Changed?' WHERE id = '%s'", testQuestion),
				q("DELETE FROM answer_test_questions WHERE id = '%s'", testQuestion)));
		this.ops.put("answer_calibrations", new TableOps(
				"SELECT count(*) FROM answer_calibrations WHERE embedding_model = 'bge-small-en-v1.5-q'", null,
				"INSERT INTO answer_calibrations (embedding_model, path, phrasings_per_group, a, b, threshold) VALUES ('all-minilm-l6-v2-q', 'similarity', 1, 10, -5, 0.2)",
				"UPDATE answer_calibrations SET threshold = 0.3 WHERE embedding_model = 'bge-small-en-v1.5-q'",
				"DELETE FROM answer_calibrations WHERE embedding_model = 'bge-small-en-v1.5-q'"));
		this.ops.put("answer_test_results", new TableOps(
				q("SELECT count(*) FROM answer_test_results WHERE test_question_id = '%s'", testQuestion),
				q("INSERT INTO answer_test_questions (workspace_id, question) VALUES ('%s', 'A second test?')", ws),
				q("INSERT INTO answer_test_results (workspace_id, model_version, test_question_id, outcome, confidence) SELECT '%s', 1, id, 'wrong_answer', 0.2 FROM answer_test_questions WHERE workspace_id = '%s' AND question = 'A second test?'", ws, ws),
				q("UPDATE answer_test_results SET outcome = 'wrong_answer' WHERE test_question_id = '%s'", testQuestion),
				q("DELETE FROM answer_test_results WHERE test_question_id = '%s'", testQuestion)));
		this.ops.put("message_feedback", new TableOps(
				q("SELECT count(*) FROM message_feedback WHERE id = '%s'", feedback),
				q("DELETE FROM message_feedback WHERE message_id = '%s'", answer2),
				q("INSERT INTO message_feedback (workspace_id, conversation_id, message_id, rating) VALUES ('%s', '%s', '%s', 'up')", ws, conversation, answer2),
				q("UPDATE message_feedback SET rating = 'up' WHERE id = '%s'", feedback),
				q("DELETE FROM message_feedback WHERE id = '%s'", feedback)));
		this.ops.put("phrasing_suggestions", new TableOps(
				q("SELECT count(*) FROM phrasing_suggestions WHERE id = '%s'", suggestion),
				q("DELETE FROM phrasing_suggestions WHERE phrasing = 'Clara?'"),
				q("INSERT INTO phrasing_suggestions (workspace_id, qa_pair_id, phrasing) VALUES ('%s', '%s', 'Clara?')", ws, qa),
				q("UPDATE phrasing_suggestions SET status = 'rejected', decided_at = now() WHERE id = '%s'", suggestion),
				q("DELETE FROM phrasing_suggestions WHERE id = '%s'", suggestion)));
		this.ops.put("identity_secrets", new TableOps(
				q("SELECT count(*) FROM identity_secrets WHERE id = '%s'", identitySecret),
				q("DELETE FROM identity_secrets WHERE secret_last4 = 'abcd'"),
				q("INSERT INTO identity_secrets (workspace_id, encrypted_secret, key_id, secret_last4) VALUES ('%s', 'aa:bb:cc', 'master-1', 'abcd')", ws),
				q("UPDATE identity_secrets SET revoked_at = now() WHERE id = '%s'", identitySecret),
				q("DELETE FROM identity_secrets WHERE id = '%s'", identitySecret)));
		this.ops.put("end_users", new TableOps(
				q("SELECT count(*) FROM end_users WHERE id = '%s'", endUser),
				q("DELETE FROM end_users WHERE external_id = 'u-2'"),
				q("INSERT INTO end_users (workspace_id, external_id) VALUES ('%s', 'u-2')", ws),
				q("UPDATE end_users SET name = 'Ann' WHERE id = '%s'", endUser),
				q("DELETE FROM end_users WHERE id = '%s'", endUser)));
		this.ops.put("transcripts", new TableOps(
				q("SELECT count(*) FROM transcripts WHERE id = '%s'", transcript), null,
				q("INSERT INTO transcripts (workspace_id, title, format, extracted_by) VALUES ('%s', 'Calls', 'json', 'llm')", ws),
				q("UPDATE transcripts SET suggested_count = 1 WHERE id = '%s'", transcript),
				q("DELETE FROM transcripts WHERE id = '%s'", transcript)));
		this.ops.put("transcript_suggestions", new TableOps(
				q("SELECT count(*) FROM transcript_suggestions WHERE id = '%s'", transcriptSuggestion), null,
				q("INSERT INTO transcript_suggestions (workspace_id, transcript_id, question, answer) VALUES ('%s', '%s', 'Is there a trial?', 'Yes.')", ws, transcript),
				q("UPDATE transcript_suggestions SET status = 'rejected', decided_at = now() WHERE id = '%s'", transcriptSuggestion),
				q("DELETE FROM transcript_suggestions WHERE id = '%s'", transcriptSuggestion)));
	}

	@Override
	public void close() throws SQLException {
		this.connection.close();
		this.db.close();
	}

	static String q(String format, Object... args) {
		return String.format(format, args);
	}

	static UUID id(Connection c, String sql, Object... params) throws SQLException {
		return (UUID) single(c, sql, params);
	}

}
