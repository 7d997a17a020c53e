package dev.clara.chat.workspace;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads a workspace's settings together with the thresholds of the model its search uses; the
 * confidence threshold is the database's rule ({@code workspace_confidence_threshold}).
 */
@Repository
public class WorkspaceRepository {

	private static final String SETTINGS = """
			SELECT w.settings::text AS settings, w.search_model,
			       public.workspace_confidence_threshold(w.settings, s.id) AS search_model_threshold,
			       s.search_floor AS search_model_floor,
			       public.workspace_confidence_threshold(w.settings, d.id) AS deployment_threshold,
			       d.search_floor AS deployment_floor
			FROM workspaces w
			JOIN embedding_models d ON d.id = :deploymentModel
			LEFT JOIN embedding_models s ON s.id = w.search_model
			WHERE w.id = :workspaceId
			""";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	WorkspaceRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * The workspace's settings, with the model its search uses: its own {@code search_model} while
	 * this deployment can embed questions with it (a workspace switching models keeps the old one
	 * until its new vectors are complete), else the deployment's model. Thresholds follow the model
	 * (the confidence threshold only where the owner set none).
	 */
	public Optional<WorkspaceSettings> find(UUID workspaceId, String deploymentModel, Predicate<String> canEmbedWith) {
		return this.jdbc.sql(SETTINGS)
			.param("workspaceId", workspaceId)
			.param("deploymentModel", deploymentModel)
			.query((row, i) -> {
				String searchModel = row.getString("search_model");
				boolean own = searchModel != null && canEmbedWith.test(searchModel);
				return WorkspaceSettings.from(workspaceId, this.json.readTree(row.getString("settings")),
						own ? searchModel : deploymentModel,
						row.getDouble(own ? "search_model_threshold" : "deployment_threshold"),
						row.getDouble(own ? "search_model_floor" : "deployment_floor"));
			})
			.optional();
	}

}
