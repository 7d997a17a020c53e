package dev.clara.chat.owner.workspace;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.JsonBody;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.search.QuestionEmbeddings;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The owner's workspace: read, rename, settings, live figures. */
@RestController
@RequestMapping("/api/owner/workspace")
class WorkspaceController {

	// Row-level security leaves the owner's one workspace: no WHERE needed, none given.
	private static final String READ = """
			SELECT w.id, w.name, w.settings::text AS settings, w.search_model, w.created_at, w.updated_at,
			       COALESCE(m.confidence_threshold, d.confidence_threshold) AS model_threshold
			FROM workspaces w
			LEFT JOIN embedding_models m ON m.id = w.search_model
			LEFT JOIN embedding_models d ON d.id = :deploymentModel
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

	private final OwnerDb db;

	private final JsonMapper json;

	private final QuestionEmbeddings embeddings;

	WorkspaceController(OwnerDb db, JsonMapper json, QuestionEmbeddings embeddings) {
		this.db = db;
		this.json = json;
		this.embeddings = embeddings;
	}

	record Workspace(UUID id, String name, JsonNode settings, String searchModel, double defaultConfidenceThreshold,
			OffsetDateTime createdAt, OffsetDateTime updatedAt) {
	}

	record Stats(String source, long activePairs, long embeddedPairs, long pendingEmbeddings, long openGaps,
			long sessions, long messages, OffsetDateTime lastActivityAt, OffsetDateTime updatedAt) {
	}

	@GetMapping
	Workspace read(OwnerPrincipal owner) {
		return this.db.as(owner, this::read);
	}

	@PatchMapping
	Workspace rename(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		JsonBody request = JsonBody.parse(this.json, body, Set.of("name"));
		String name = request.text("name", true, 100);
		request.validate();
		return this.db.as(owner, sql -> {
			sql.sql("UPDATE workspaces SET name = :name").param("name", name).update();
			return read(sql);
		});
	}

	@GetMapping("/settings")
	JsonNode settings(OwnerPrincipal owner) {
		return this.db.as(owner, this::read).settings();
	}

	/** Changes the settings named in the body (a partial object); the others keep their values. */
	@PatchMapping("/settings")
	JsonNode updateSettings(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		JsonNode update = JsonBody.parse(this.json, body, SettingsValidator.FIELDS).validate().node();
		Map<String, String> errors = SettingsValidator.validate(update);
		if (!errors.isEmpty()) {
			throw OwnerProblems.invalid(errors);
		}
		return this.db.as(owner, sql -> {
			int updated = sql.sql("UPDATE workspaces SET settings = settings || CAST(:update AS jsonb)")
				.param("update", this.json.writeValueAsString(update))
				.update();
			if (updated == 0) {
				throw OwnerProblems.notFound("workspace");
			}
			return read(sql).settings();
		});
	}

	/** Replaces the settings: fields left out get 004's defaults. */
	@PutMapping("/settings")
	JsonNode replaceSettings(OwnerPrincipal owner, @RequestBody(required = false) String body) {
		JsonNode update = JsonBody.parse(this.json, body, SettingsValidator.FIELDS).validate().node();
		Map<String, String> errors = SettingsValidator.validate(update);
		if (!errors.isEmpty()) {
			throw OwnerProblems.invalid(errors);
		}
		return this.db.as(owner, sql -> {
			// the column default is 004's settings JSON
			String defaults = sql.sql("""
					SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
					JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
					WHERE d.adrelid = 'public.workspaces'::regclass AND a.attname = 'settings'
					""").query(String.class).single();
			ObjectNode merged = (ObjectNode) sql.sql("SELECT (" + defaults + ")::text").query(String.class)
				.optional()
				.map(this.json::readTree)
				.orElseThrow();
			update.properties().forEach(entry -> merged.set(entry.getKey(), entry.getValue()));
			sql.sql("UPDATE workspaces SET settings = CAST(:settings AS jsonb)")
				.param("settings", this.json.writeValueAsString(merged))
				.update();
			return read(sql).settings();
		});
	}

	/**
	 * The live figures: from the {@code workspace_stats} projection the CDC relay keeps current,
	 * or counted now when the projection has no row for this workspace yet ({@code source}).
	 */
	@GetMapping("/stats")
	Stats stats(OwnerPrincipal owner) {
		return this.db.as(owner, sql -> sql.sql(STATS)
			.query((row, i) -> new Stats("projection", row.getLong("active_pairs"), row.getLong("embedded_pairs"),
					row.getLong("pending_embeddings"), row.getLong("open_gaps"), row.getLong("sessions"),
					row.getLong("messages"), row.getObject("last_activity_at", OffsetDateTime.class),
					row.getObject("updated_at", OffsetDateTime.class)))
			.optional()
			.orElseGet(() -> sql.sql(LIVE_STATS)
				.param("model", this.embeddings.deploymentModel())
				.query((row, i) -> new Stats("live", row.getLong("active_pairs"), row.getLong("embedded_pairs"),
						row.getLong("pending_embeddings"), row.getLong("open_gaps"), row.getLong("sessions"),
						row.getLong("messages"), row.getObject("last_activity_at", OffsetDateTime.class),
						OffsetDateTime.now()))
				.single()));
	}

	private Workspace read(JdbcClient sql) {
		return sql.sql(READ)
			.param("deploymentModel", this.embeddings.deploymentModel())
			.query((row, i) -> new Workspace(row.getObject("id", UUID.class), row.getString("name"),
					this.json.readTree(row.getString("settings")), row.getString("search_model"),
					row.getDouble("model_threshold"), row.getObject("created_at", OffsetDateTime.class),
					row.getObject("updated_at", OffsetDateTime.class)))
			.optional()
			.orElseThrow(() -> OwnerProblems.notFound("workspace"));
	}

}
