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
import static dev.clara.schema.SchemaTestDatabase.update;
import static dev.clara.schema.SchemaTestDatabase.workspaceOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-up, workspace settings defaults and checks, the confidence threshold rule, embedding model
 * reference data, outbox retention.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspacesAndOutboxIntegrationTests {

	private SchemaTestDatabase db;

	private Connection connection;

	@BeforeAll
	void setUp() throws SQLException {
		this.db = SchemaTestDatabase.migrated("schema_workspaces");
		this.connection = this.db.connect();
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.connection.close();
		this.db.close();
	}

	@Test
	void signingUpCreatesProfileAndWorkspaceWith004sSettings() throws SQLException {
		UUID user = UUID.randomUUID();
		update(this.connection, "INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES (?, 'new@example.test', '{\"full_name\": \"Nia Newcomer\", \"avatar_url\": \"https://example.test/n.png\"}')", user);
		assertThat(rows(this.connection, "SELECT display_name, full_name, avatar_url, preferences::text FROM profiles WHERE id = ?", user))
			.containsExactly(List.of("Nia Newcomer", "Nia Newcomer", "https://example.test/n.png", "{}"));
		assertThat(rows(this.connection, """
				SELECT name, onboarding_completed_steps::text,
				       settings->>'display_name', settings->>'welcome_message', settings->>'placeholder_text',
				       (settings->'suggested_messages')::text, settings->'booking_url' = 'null'::jsonb,
				       settings->>'primary_color', settings->>'bubble_color', settings->>'bubble_position',
				       settings->'avatar_url' = 'null'::jsonb, settings->'chat_icon_url' = 'null'::jsonb,
				       settings->'confidence_threshold' = 'null'::jsonb, settings->>'max_suggestion_chips',
				       settings->>'escalation_enabled', settings->>'powered_by_clara', (settings->'allowed_origins')::text,
				       settings->>'personality_prompt' LIKE '### Business Context%2. If you don''t have enough information, be honest and suggest booking a call.%',
				       (SELECT count(*) FROM jsonb_object_keys(settings))
				  FROM workspaces WHERE owner_id = ?""", user))
			.containsExactly(List.of("My Chatbot", "[]", "Clara", "Hi! How can I help you today?", "Type your message...", "[]",
					true, "#6366f1", "#000000", "right", true, true, true, "3", "true", "true", "[]", true, 16L));

		// One workspace per owner.
		assertThat(sqlStateOf(this.connection, () -> update(this.connection, "INSERT INTO workspaces (owner_id) VALUES (?)", user)))
			.isEqualTo("23505");
		// Anonymous sign-ins get a profile but no workspace.
		UUID anonymous = UUID.randomUUID();
		update(this.connection, "INSERT INTO auth.users (id, is_anonymous) VALUES (?, true)", anonymous);
		assertThat(count(this.connection, "SELECT count(*) FROM profiles WHERE id = ?", anonymous)).isEqualTo(1);
		assertThat(count(this.connection, "SELECT count(*) FROM workspaces WHERE owner_id = ?", anonymous)).isZero();
	}

	@Test
	void settingsAreCheckedWhereTheDatabaseCan() throws SQLException {
		UUID ws = workspaceOf(this.connection, createUser(this.connection, "settings@example.test"));
		String set = "UPDATE workspaces SET settings = settings || ?::jsonb WHERE id = ?";
		assertThat(update(this.connection, set, "{\"confidence_threshold\": 0.62}", ws)).isEqualTo(1);
		assertThat(update(this.connection, set, "{\"confidence_threshold\": null, \"allowed_origins\": [\"https://shop.example\"]}", ws)).isEqualTo(1);
		assertThat(update(this.connection, set, "{\"monthly_token_budget\": 250000}", ws)).isEqualTo(1);
		assertThat(update(this.connection, set, "{\"monthly_token_budget\": null}", ws)).isEqualTo(1);
		for (String bad : List.of("{\"confidence_threshold\": 1.5}", "{\"confidence_threshold\": \"high\"}",
				"{\"allowed_origins\": \"*\"}", "{\"suggested_messages\": \"hi\"}", "{\"monthly_token_budget\": 0}",
				"{\"monthly_token_budget\": 2.5}", "{\"monthly_token_budget\": \"1000\"}")) {
			assertThat(sqlStateOf(this.connection, () -> update(this.connection, set, bad, ws))).as(bad).isEqualTo("23514");
		}
		assertThat(sqlStateOf(this.connection, () -> update(this.connection, "UPDATE workspaces SET settings = '[]' WHERE id = ?", ws)))
			.isEqualTo("23514");
	}

	@Test
	void embeddingModelsCarryPerModelThresholds() throws SQLException {
		assertThat(rows(this.connection, """
				SELECT id, dimensions, confidence_threshold, near_duplicate_threshold, gap_grouping_threshold, search_floor
				  FROM embedding_models ORDER BY id"""))
			.containsExactly(List.of("all-minilm-l6-v2-q", 384, 0.37, 0.92, 0.50, 0.2),
					List.of("bge-small-en-v1.5-q", 384, 0.67, 0.95, 0.65, 0.5),
					List.of("text-embedding-3-small", 1536, 0.78, 0.95, 0.85, 0.5));
		// automatic closing has no similarity floor of its own since V32: it asks the chat's decision
		assertThat(count(this.connection, """
				SELECT count(*) FROM information_schema.columns
				 WHERE table_schema = 'public' AND table_name = 'embedding_models' AND column_name = 'gap_auto_close_floor'"""))
			.isZero();
		// A partial HNSW index per seeded model.
		assertThat(count(this.connection, """
				SELECT count(*) FROM pg_indexes WHERE tablename = 'qa_pairs' AND indexdef LIKE '%USING hnsw%'
				   AND indexdef LIKE '%WHERE (embedding_model = %'""")).isEqualTo(3);
	}

	@Test
	void outboxAndProcessedEventsArePrunedAfterTheRetention() throws SQLException {
		UUID ws = UUID.randomUUID();
		String insert = "INSERT INTO outbox_events (workspace_id, aggregate_type, aggregate_id, event_type, payload, created_at) VALUES (?, 'question', 'q', 'QuestionAsked', '{}', now() - ?::interval) RETURNING id";
		UUID old = (UUID) single(this.connection, insert, ws, "8 days");
		UUID recent = (UUID) single(this.connection, insert, ws, "6 days");
		update(this.connection, "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ('gap-detector', ?, now() - interval '8 days'), ('gap-detector', ?, now())", old, recent);
		assertThat(update(this.connection, "INSERT INTO processed_events (consumer, event_id) VALUES ('gap-detector', ?) ON CONFLICT DO NOTHING", recent)).isZero();
		assertThat(update(this.connection, "INSERT INTO processed_events (consumer, event_id) VALUES ('analytics', ?) ON CONFLICT DO NOTHING", recent)).isEqualTo(1);

		assertThat(single(this.connection, "SELECT prune_outbox_events()")).isEqualTo(1L);
		assertThat(single(this.connection, "SELECT prune_processed_events()")).isEqualTo(1L);
		assertThat(count(this.connection, "SELECT count(*) FROM outbox_events WHERE id IN (?, ?)", old, recent)).isEqualTo(1);
		assertThat(count(this.connection, "SELECT count(*) FROM outbox_events WHERE id = ?", recent)).isEqualTo(1);
		assertThat(single(this.connection, "SELECT prune_outbox_events(interval '1 day')")).isEqualTo(1L);
		assertThat(count(this.connection, "SELECT count(*) FROM processed_events WHERE event_id = ?", recent)).isEqualTo(2);
	}

	@Test
	void aNumericConfidenceThresholdInTheSettingsWinsOverTheModels() throws SQLException {
		assertThat(confidenceThreshold("{\"confidence_threshold\": 0.62}", "bge-small-en-v1.5-q")).isEqualTo(0.62);
		assertThat(confidenceThreshold("{\"confidence_threshold\": 0.62}", "no-such-model")).isEqualTo(0.62);
		Object modelThreshold = single(this.connection,
				"SELECT confidence_threshold FROM embedding_models WHERE id = 'bge-small-en-v1.5-q'");
		for (String settings : List.of("{}", "{\"confidence_threshold\": null}", "{\"confidence_threshold\": \"0.62\"}")) {
			assertThat(confidenceThreshold(settings, "bge-small-en-v1.5-q")).as(settings).isEqualTo(modelThreshold);
		}
		assertThat(confidenceThreshold("{}", "no-such-model")).isNull();
	}

	private Object confidenceThreshold(String settings, String model) throws SQLException {
		return single(this.connection, "SELECT public.workspace_confidence_threshold(CAST(? AS jsonb), ?)", settings,
				model);
	}

}
