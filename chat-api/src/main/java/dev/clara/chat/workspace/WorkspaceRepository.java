package dev.clara.chat.workspace;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import dev.clara.shared.answers.AnswerDecision.Calibration;
import dev.clara.shared.answers.AnswerDecision.Policy;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads a workspace's settings together with the thresholds and calibrations of the model its
 * search uses and the version of its newest answer model for that model, in one query; the
 * confidence threshold is the database's rule ({@code workspace_confidence_threshold}).
 */
@Repository
public class WorkspaceRepository {

	private static final String SETTINGS = """
			SELECT w.settings::text AS settings, w.search_model,
			       public.workspace_confidence_threshold(w.settings, s.id) AS search_model_threshold,
			       s.search_floor AS search_model_floor, s.similarity_calibration AS search_model_similarity,
			       s.answer_model_calibration AS search_model_answer_model,
			       (SELECT max(a.version) FROM answer_models a
			         WHERE a.workspace_id = w.id AND a.embedding_model = s.id) AS search_model_version,
			       public.workspace_confidence_threshold(w.settings, d.id) AS deployment_threshold,
			       d.search_floor AS deployment_floor, d.similarity_calibration AS deployment_similarity,
			       d.answer_model_calibration AS deployment_answer_model,
			       (SELECT max(a.version) FROM answer_models a
			         WHERE a.workspace_id = w.id AND a.embedding_model = d.id) AS deployment_version
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
				String of = own ? "search_model" : "deployment";
				Policy policy = new Policy(row.getDouble(of + "_threshold"), calibration(row.getArray(of + "_similarity")),
						calibration(row.getArray(of + "_answer_model")));
				return WorkspaceSettings.from(workspaceId, this.json.readTree(row.getString("settings")),
						own ? searchModel : deploymentModel, policy, row.getObject(of + "_version", Integer.class),
						row.getDouble(of + "_floor"));
			})
			.optional();
	}

	private static Calibration calibration(Array array) throws SQLException {
		if (array == null) {
			return null;
		}
		Double[] ab = (Double[]) array.getArray();
		return new Calibration(ab[0], ab[1]);
	}

}
