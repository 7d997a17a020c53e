package dev.clara.chat.workspace;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Loads a workspace's settings together with the deployment model's thresholds. */
@Repository
public class WorkspaceRepository {

	private static final String SETTINGS = """
			SELECT w.settings::text AS settings, m.confidence_threshold, m.search_floor
			FROM workspaces w
			CROSS JOIN embedding_models m
			WHERE w.id = :workspaceId AND m.id = :model
			""";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	WorkspaceRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	public Optional<WorkspaceSettings> find(UUID workspaceId, String model) {
		return this.jdbc.sql(SETTINGS)
			.param("workspaceId", workspaceId)
			.param("model", model)
			.query((row, i) -> WorkspaceSettings.from(workspaceId, this.json.readTree(row.getString("settings")),
					row.getDouble("confidence_threshold"), row.getDouble("search_floor")))
			.optional();
	}

}
