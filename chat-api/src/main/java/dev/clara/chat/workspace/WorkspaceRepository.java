package dev.clara.chat.workspace;

import java.sql.Types;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import dev.clara.shared.answers.AnswerCalibrations;
import dev.clara.shared.answers.AnswerDecision.Policy;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads a workspace's settings together with the thresholds and calibrations of the model its
 * search uses and the version of its newest answer model for that model, in one query; the
 * confidence threshold is the database's rule ({@code workspace_confidence_threshold}). With a
 * monthly token budget set, the same query sums the month's recorded tokens (only then: a
 * workspace without a cap pays nothing for it).
 */
@Repository
public class WorkspaceRepository {

	/**
	 * The settings, and per candidate search model (the workspace's own, the deployment's): its
	 * thresholds and calibrations, and its newest answer model of the workspace with the size that
	 * model saw (phrasings per group pick the calibration).
	 */
	private static final String SETTINGS = """
			SELECT w.settings::text AS settings, w.search_model,
			       public.workspace_threshold_override(w.settings) AS override,
			       s.confidence_threshold AS search_model_threshold, s.search_floor AS search_model_floor,
			       public.answer_calibrations_of(s.id)::text AS search_model_calibrations,
			       sa.version AS search_model_version, sa.pair_count AS search_model_pairs,
			       sa.group_count AS search_model_groups,
			       d.confidence_threshold AS deployment_threshold, d.search_floor AS deployment_floor,
			       public.answer_calibrations_of(d.id)::text AS deployment_calibrations,
			       da.version AS deployment_version, da.pair_count AS deployment_pairs,
			       da.group_count AS deployment_groups,
			       CASE WHEN jsonb_typeof(w.settings -> 'monthly_token_budget') = 'number' THEN
			         (SELECT COALESCE(sum(u.total_tokens), 0) FROM api_usage u
			          WHERE u.workspace_id = w.id
			            AND u.created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
			       ELSE 0 END AS month_tokens,
			       EXISTS (SELECT 1 FROM api_keys k WHERE k.workspace_id = w.id AND k.is_default AND k.is_active)
			         AS has_own_llm_key,
			       CASE WHEN NOT EXISTS (
			              SELECT 1 FROM qa_pair_search_changes c
			              WHERE c.workspace_id = w.id
			                AND c.xact >= pg_snapshot_xmin(CAST(:pairSnapshot AS pg_snapshot))
			                AND NOT pg_visible_in_snapshot(c.xact, CAST(:pairSnapshot AS pg_snapshot)))
			         THEN CAST(:pairSnapshot AS text) END AS current_pair_snapshot
			FROM workspaces w
			JOIN embedding_models d ON d.id = :deploymentModel
			LEFT JOIN embedding_models s ON s.id = w.search_model
			LEFT JOIN LATERAL (SELECT a.version, a.pair_count, a.group_count FROM answer_models a
			                   WHERE a.workspace_id = w.id AND a.embedding_model = s.id
			                   ORDER BY a.version DESC LIMIT 1) sa ON true
			LEFT JOIN LATERAL (SELECT a.version, a.pair_count, a.group_count FROM answer_models a
			                   WHERE a.workspace_id = w.id AND a.embedding_model = d.id
			                   ORDER BY a.version DESC LIMIT 1) da ON true
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
		return find(workspaceId, deploymentModel, canEmbedWith, null);
	}

	/**
	 * The same, and whether the in-memory copy of the workspace's pairs read in
	 * {@code pairSnapshot} is still what the database holds: no transaction that changed the
	 * workspace's pairs ({@code qa_pair_search_changes}) is outside that snapshot. Then the
	 * settings carry the snapshot back ({@link WorkspaceSettings#currentPairSnapshot()}).
	 */
	public Optional<WorkspaceSettings> find(UUID workspaceId, String deploymentModel, Predicate<String> canEmbedWith,
			String pairSnapshot) {
		return this.jdbc.sql(SETTINGS)
			.param("workspaceId", workspaceId)
			.param("deploymentModel", deploymentModel)
			.param("pairSnapshot", pairSnapshot, Types.VARCHAR)
			.query((row, i) -> {
				String searchModel = row.getString("search_model");
				boolean own = searchModel != null && canEmbedWith.test(searchModel);
				String of = own ? "search_model" : "deployment";
				Integer version = row.getObject(of + "_version", Integer.class);
				// a workspace without a model yet is calibrated as the thinnest knowledge base
				double phrasingsPerGroup = version == null ? 1 : (double) row.getInt(of + "_pairs") / row.getInt(of + "_groups");
				Policy policy = AnswerCalibrations.fromJson(row.getString(of + "_calibrations"))
					.policy(row.getObject("override", Double.class), row.getDouble(of + "_threshold"), phrasingsPerGroup);
				return WorkspaceSettings.from(workspaceId, this.json.readTree(row.getString("settings")),
						own ? searchModel : deploymentModel, policy, version, row.getDouble(of + "_floor"),
						row.getLong("month_tokens"), row.getBoolean("has_own_llm_key"), row.getString("current_pair_snapshot"));
			})
			.optional();
	}

}
