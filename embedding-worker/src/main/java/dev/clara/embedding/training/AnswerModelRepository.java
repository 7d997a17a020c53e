package dev.clara.embedding.training;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.answers.AnswerCalibrations;
import dev.clara.shared.answers.AnswerDecision.Policy;
import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.events.AnswerModelTrained;
import dev.clara.shared.events.EventCodec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads what a workspace's model is trained on and stores each new model, with its
 * {@code AnswerModelTrained} event in the same transaction.
 */
@Repository
class AnswerModelRepository {

	/** The workspace's search model (its own, else the deployment's) and its decision policy. */
	private static final String WORKSPACE = """
			SELECT m.id AS model, public.workspace_threshold_override(w.settings) AS override, m.confidence_threshold,
			       public.answer_calibrations_of(m.id)::text AS calibrations
			FROM workspaces w JOIN embedding_models m ON m.id = coalesce(w.search_model, :deploymentModel)
			WHERE w.id = :workspaceId
			""";

	private static final String PAIR_COUNT = """
			SELECT count(*) FROM qa_pairs
			WHERE workspace_id = :workspaceId AND is_active AND embedding_model = :model AND embedding IS NOT NULL
			""";

	private static final String PAIRS = """
			SELECT id, answer, embedding::text AS embedding, embedded_at FROM qa_pairs
			WHERE workspace_id = :workspaceId AND is_active AND embedding_model = :model AND embedding IS NOT NULL
			ORDER BY id
			""";

	private static final String OUT_OF_SCOPE = """
			SELECT id, question_embedding::text AS embedding FROM qa_gaps
			WHERE workspace_id = :workspaceId AND teach_out_of_scope AND embedding_model = :model
			  AND question_embedding IS NOT NULL
			ORDER BY id
			""";

	private static final String LATEST = """
			SELECT version, embedding_model, fingerprint, model FROM answer_models
			WHERE workspace_id = :workspaceId ORDER BY version DESC LIMIT 1
			""";

	/** Nothing is stored for a workspace deleted meanwhile (its rows are gone with it). */
	private static final String INSERT = """
			INSERT INTO answer_models (workspace_id, version, embedding_model, model, groups, pair_count, group_count,
			                           out_of_scope_count, fingerprint, iterations, converged, loss, training_ms)
			SELECT w.id, coalesce((SELECT max(version) FROM answer_models WHERE workspace_id = w.id), 0) + 1,
			       :model, :bytes, CAST(:groups AS jsonb), :pairCount, :groupCount, :outOfScopeCount, :fingerprint,
			       :iterations, :converged, :loss, :trainingMs
			FROM workspaces w WHERE w.id = :workspaceId
			RETURNING version, trained_at
			""";

	/**
	 * The oldest newest-model without a health report, of a workspace with no training waiting
	 * (a model about to be replaced is not worth cross-validating).
	 */
	private static final String NEXT_WITHOUT_HEALTH = """
			SELECT a.workspace_id, a.version, a.fingerprint FROM answer_models a
			WHERE a.health IS NULL AND a.pair_count <= :maxPairs
			  AND a.version = (SELECT max(b.version) FROM answer_models b WHERE b.workspace_id = a.workspace_id)
			  AND NOT EXISTS (SELECT 1 FROM answer_model_requests r WHERE r.workspace_id = a.workspace_id)
			ORDER BY a.trained_at
			LIMIT 1
			""";

	private static final String SAVE_HEALTH = """
			UPDATE answer_models SET health = CAST(:health AS jsonb) WHERE workspace_id = :workspaceId AND version = :version
			""";

	/** The newest stored model of a workspace. */
	record Latest(int version, String embeddingModel, String fingerprint, byte[] bytes) {

		AnswerModel model() {
			return AnswerModel.fromBytes(this.bytes);
		}

	}

	/** What to store: the trained model and how training went. */
	record NewModel(TrainingSnapshot snapshot, AnswerModel model, String groupsJson, int iterations, boolean converged,
			double loss, long trainingMs) {
	}

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final OutboxWriter outbox;

	AnswerModelRepository(JdbcClient jdbc, TransactionTemplate transactions, OutboxWriter outbox) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.outbox = outbox;
	}

	/**
	 * The workspace's training data, or empty when the workspace is gone; {@code tooMany} is
	 * called instead of reading more than {@code maxPairs} vectors.
	 */
	Optional<TrainingSnapshot> snapshot(UUID workspaceId, String deploymentModel, int maxPairs, Runnable tooMany) {
		return this.transactions.execute(status -> {
			Optional<Object[]> workspace = this.jdbc.sql(WORKSPACE)
				.param("workspaceId", workspaceId)
				.param("deploymentModel", deploymentModel)
				.query((row, i) -> new Object[] { row.getString("model"), row.getObject("override", Double.class),
						row.getDouble("confidence_threshold"), AnswerCalibrations.fromJson(row.getString("calibrations")) })
				.optional();
			if (workspace.isEmpty()) {
				return Optional.empty();
			}
			String model = (String) workspace.get()[0];
			long count = this.jdbc.sql(PAIR_COUNT).param("workspaceId", workspaceId).param("model", model)
				.query(Long.class).single();
			if (count > maxPairs) {
				tooMany.run();
				return Optional.empty();
			}
			List<TrainingSnapshot.Pair> pairs = this.jdbc.sql(PAIRS)
				.param("workspaceId", workspaceId)
				.param("model", model)
				.query((row, i) -> new TrainingSnapshot.Pair(row.getObject("id", UUID.class),
						dev.clara.shared.answers.AnswerGroups.groupId(row.getString("answer")), vector(row),
						row.getObject("embedded_at", OffsetDateTime.class)))
				.list();
			List<TrainingSnapshot.OutOfScope> outOfScope = this.jdbc.sql(OUT_OF_SCOPE)
				.param("workspaceId", workspaceId)
				.param("model", model)
				.query((row, i) -> new TrainingSnapshot.OutOfScope(row.getObject("id", UUID.class), vector(row)))
				.list();
			// sized like the chat turn sizes it once this model is trained: its phrasings per group
			double phrasingsPerGroup = pairs.isEmpty() ? 1
					: (double) pairs.size() / pairs.stream().map(TrainingSnapshot.Pair::groupId).distinct().count();
			Policy policy = ((AnswerCalibrations) workspace.get()[3]).policy((Double) workspace.get()[1],
					(Double) workspace.get()[2], phrasingsPerGroup);
			return Optional.of(new TrainingSnapshot(workspaceId, model, policy, pairs, outOfScope));
		});
	}

	Optional<Latest> latest(UUID workspaceId) {
		return this.jdbc.sql(LATEST)
			.param("workspaceId", workspaceId)
			.query((row, i) -> new Latest(row.getInt("version"), row.getString("embedding_model"),
					row.getString("fingerprint"), row.getBytes("model")))
			.optional();
	}

	/** Stores the model and its event; the new version, or empty when the workspace is gone. */
	Optional<Integer> store(NewModel model) {
		TrainingSnapshot snapshot = model.snapshot();
		return this.transactions.execute(status -> {
			Optional<Object[]> stored = this.jdbc.sql(INSERT)
				.param("workspaceId", snapshot.workspaceId())
				.param("model", snapshot.embeddingModel())
				.param("bytes", model.model().toBytes())
				.param("groups", model.groupsJson())
				.param("pairCount", snapshot.pairs().size())
				.param("groupCount", (int) snapshot.groupCount())
				.param("outOfScopeCount", snapshot.outOfScope().size())
				.param("fingerprint", snapshot.fingerprint())
				.param("iterations", model.iterations())
				.param("converged", model.converged())
				.param("loss", model.loss())
				.param("trainingMs", (int) Math.min(Integer.MAX_VALUE, model.trainingMs()))
				.query((row, i) -> new Object[] { row.getInt("version"),
						row.getObject("trained_at", OffsetDateTime.class).toInstant() })
				.optional();
			stored.ifPresent(row -> {
				int version = (Integer) row[0];
				Instant trainedAt = (Instant) row[1];
				AnswerModelTrained event = new AnswerModelTrained(version, snapshot.embeddingModel(),
						snapshot.pairs().size(), (int) snapshot.groupCount(), snapshot.outOfScope().size(),
						model.iterations(), model.trainingMs(), trainedAt);
				this.outbox.append(EventCodec.envelope(snapshot.workspaceId(), trainedAt, event), "answer_model",
						snapshot.workspaceId() + ":" + version);
			});
			return stored.map(row -> (Integer) row[0]);
		});
	}

	/** A stored model waiting for its health report. */
	record HealthDue(UUID workspaceId, int version, String fingerprint) {
	}

	Optional<HealthDue> nextWithoutHealth(int maxPairs) {
		return this.jdbc.sql(NEXT_WITHOUT_HEALTH)
			.param("maxPairs", maxPairs)
			.query((row, i) -> new HealthDue(row.getObject("workspace_id", UUID.class), row.getInt("version"),
					row.getString("fingerprint")))
			.optional();
	}

	Optional<Latest> version(UUID workspaceId, int version) {
		return latest(workspaceId).filter(latest -> latest.version() == version);
	}

	void saveHealth(UUID workspaceId, int version, String healthJson) {
		this.jdbc.sql(SAVE_HEALTH)
			.param("workspaceId", workspaceId)
			.param("version", version)
			.param("health", healthJson)
			.update();
	}

	private static float[] vector(ResultSet row) throws SQLException {
		return new PGvector(row.getString("embedding")).toArray();
	}

}
