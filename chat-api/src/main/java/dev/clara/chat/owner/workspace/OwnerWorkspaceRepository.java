package dev.clara.chat.owner.workspace;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The owner's workspace row, its settings and its figures. Every method runs inside
 * {@code OwnerDb.as}: row-level security leaves the owner's one workspace, so no statement has a
 * WHERE for it.
 */
@Repository
class OwnerWorkspaceRepository {

	private static final String READ = """
			SELECT w.id, w.name, w.settings::text AS settings, w.search_model, w.created_at, w.updated_at,
			       COALESCE(m.confidence_threshold, d.confidence_threshold) AS model_threshold
			FROM workspaces w
			LEFT JOIN embedding_models m ON m.id = w.search_model
			LEFT JOIN embedding_models d ON d.id = :deploymentModel
			""";

	private static final String RENAME = "UPDATE workspaces SET name = :name";

	private static final String MERGE_SETTINGS = "UPDATE workspaces SET settings = settings || CAST(:update AS jsonb)";

	private static final String REPLACE_SETTINGS = "UPDATE workspaces SET settings = CAST(:settings AS jsonb)";

	/** The expression of the settings column's default (the default settings JSON). */
	private static final String SETTINGS_DEFAULT = """
			SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
			JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
			WHERE d.adrelid = 'public.workspaces'::regclass AND a.attname = 'settings'
			""";

	private static final String STATS = """
			SELECT s.active_pairs, s.embedded_pairs, s.pending_embeddings, s.open_gaps, s.sessions, s.messages,
			       s.last_activity_at, s.updated_at
			FROM workspace_stats s
			""";

	/** The same figures counted now, for a deployment whose CDC relay has not made the projection yet. */
	private static final String LIVE_STATS = """
			SELECT (SELECT count(*) FROM qa_pairs WHERE is_active) AS active_pairs,
			       (SELECT count(*) FROM qa_pairs WHERE is_active AND embedding_model = :model) AS embedded_pairs,
			       (SELECT count(*) FROM qa_pairs WHERE is_active AND embedding_model IS DISTINCT FROM :model) AS pending_embeddings,
			       (SELECT count(*) FROM qa_gaps WHERE status = 'open') AS open_gaps,
			       (SELECT count(*) FROM conversations) AS sessions,
			       (SELECT count(*) FROM messages) AS messages,
			       (SELECT max(created_at) FROM messages) AS last_activity_at
			""";

	private final JsonMapper json;

	OwnerWorkspaceRepository(JsonMapper json) {
		this.json = json;
	}

	record Workspace(UUID id, String name, JsonNode settings, String searchModel, double defaultConfidenceThreshold,
			OffsetDateTime createdAt, OffsetDateTime updatedAt) {
	}

	/** @param source {@code projection} (kept by the CDC relay) or {@code live} (counted now) */
	record Stats(String source, long activePairs, long embeddedPairs, long pendingEmbeddings, long openGaps,
			long sessions, long messages, OffsetDateTime lastActivityAt, OffsetDateTime updatedAt) {
	}

	/** @param deploymentModel the model whose threshold applies when the workspace names no search model */
	Optional<Workspace> find(JdbcClient sql, String deploymentModel) {
		return sql.sql(READ)
			.param("deploymentModel", deploymentModel)
			.query((row, i) -> new Workspace(row.getObject("id", UUID.class), row.getString("name"),
					this.json.readTree(row.getString("settings")), row.getString("search_model"),
					row.getDouble("model_threshold"), row.getObject("created_at", OffsetDateTime.class),
					row.getObject("updated_at", OffsetDateTime.class)))
			.optional();
	}

	void rename(JdbcClient sql, String name) {
		sql.sql(RENAME).param("name", name).update();
	}

	/** Sets the settings {@code update} names, keeping the others; whether there is a workspace. */
	boolean mergeSettings(JdbcClient sql, JsonNode update) {
		return sql.sql(MERGE_SETTINGS).param("update", this.json.writeValueAsString(update)).update() > 0;
	}

	/** Replaces the settings: those {@code given} leaves out get the column default's values. */
	void replaceSettings(JdbcClient sql, JsonNode given) {
		String defaults = sql.sql(SETTINGS_DEFAULT).query(String.class).single();
		ObjectNode merged = (ObjectNode) sql.sql("SELECT (" + defaults + ")::text")
			.query(String.class)
			.optional()
			.map(this.json::readTree)
			.orElseThrow();
		given.properties().forEach(entry -> merged.set(entry.getKey(), entry.getValue()));
		sql.sql(REPLACE_SETTINGS).param("settings", this.json.writeValueAsString(merged)).update();
	}

	/** The figures from the {@code workspace_stats} projection, if it has a row for the workspace yet. */
	Optional<Stats> projectedStats(JdbcClient sql) {
		return sql.sql(STATS)
			.query((row, i) -> new Stats("projection", row.getLong("active_pairs"), row.getLong("embedded_pairs"),
					row.getLong("pending_embeddings"), row.getLong("open_gaps"), row.getLong("sessions"),
					row.getLong("messages"), row.getObject("last_activity_at", OffsetDateTime.class),
					row.getObject("updated_at", OffsetDateTime.class)))
			.optional();
	}

	/** The same figures counted now; {@code model} is the one whose vectors count as embedded. */
	Stats liveStats(JdbcClient sql, String model) {
		return sql.sql(LIVE_STATS)
			.param("model", model)
			.query((row, i) -> new Stats("live", row.getLong("active_pairs"), row.getLong("embedded_pairs"),
					row.getLong("pending_embeddings"), row.getLong("open_gaps"), row.getLong("sessions"),
					row.getLong("messages"), row.getObject("last_activity_at", OffsetDateTime.class),
					OffsetDateTime.now()))
			.single();
	}

}
