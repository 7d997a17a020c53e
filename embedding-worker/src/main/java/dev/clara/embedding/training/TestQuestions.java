package dev.clara.embedding.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.embedding.EmbeddingUsageRepository;
import dev.clara.shared.answers.AnswerDecision;
import dev.clara.shared.answers.AnswerDecision.Decision;
import dev.clara.shared.answers.AnswerGroups;
import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.Prediction;
import dev.clara.shared.embedding.EmbeddingProvider;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An owner's test questions, checked against each model as the chat turn would answer them (the
 * same {@link AnswerDecision}); the outcome is kept per model version. A question's vector is made
 * once per embedding model, by this process's provider, outside any transaction; the tokens a
 * remote provider billed for them are recorded as the workspace's usage in the transaction that
 * stores the vectors, so a check retried after a crash, which finds them stored, bills nothing again.
 */
@Repository
class TestQuestions {

	/** Questions without an outcome for the version, with the expected pair's answer group. */
	private static final String UNCHECKED = """
			SELECT t.id, t.question, t.expected_qa_id, p.answer AS expected_answer,
			       CASE WHEN t.embedding_model = :model THEN t.embedding::text END AS embedding
			FROM answer_test_questions t
			LEFT JOIN qa_pairs p ON p.id = t.expected_qa_id
			WHERE t.workspace_id = :workspaceId
			  AND NOT EXISTS (SELECT 1 FROM answer_test_results r
			                  WHERE r.workspace_id = t.workspace_id AND r.model_version = :version
			                    AND r.test_question_id = t.id)
			ORDER BY t.created_at, t.id
			""";

	private static final String SAVE_VECTOR = """
			UPDATE answer_test_questions SET embedding = CAST(:embedding AS extensions.vector), embedding_model = :model
			WHERE id = :id AND question = :question
			""";

	private static final String SAVE_RESULT = """
			INSERT INTO answer_test_results (workspace_id, model_version, test_question_id, outcome, answered_qa_id, confidence)
			SELECT :workspaceId, :version, t.id, :outcome, :answeredQaId, :confidence
			FROM answer_test_questions t WHERE t.id = :id
			ON CONFLICT DO NOTHING
			""";

	private record Unchecked(UUID id, String question, UUID expectedQaId, String expectedAnswer, float[] vector) {
	}

	private final JdbcClient jdbc;

	private final EmbeddingProvider provider;

	private final TransactionTemplate transactions;

	private final EmbeddingUsageRepository usage;

	TestQuestions(JdbcClient jdbc, EmbeddingProvider provider, TransactionTemplate transactions,
			EmbeddingUsageRepository usage) {
		this.jdbc = jdbc;
		this.provider = provider;
		this.transactions = transactions;
		this.usage = usage;
	}

	/** Checks every test question of the workspace that has no outcome for {@code version} yet. */
	int check(TrainingSnapshot snapshot, AnswerModel model, int version) {
		List<Unchecked> questions = this.jdbc.sql(UNCHECKED)
			.param("workspaceId", snapshot.workspaceId())
			.param("model", snapshot.embeddingModel())
			.param("version", version)
			.query((row, i) -> new Unchecked(row.getObject("id", UUID.class), row.getString("question"),
					row.getObject("expected_qa_id", UUID.class), row.getString("expected_answer"),
					row.getString("embedding") == null ? null : new PGvector(row.getString("embedding")).toArray()))
			.list();
		if (questions.isEmpty()) {
			return 0;
		}
		List<Unchecked> embedded = withVectors(snapshot.workspaceId(), questions, snapshot.embeddingModel());
		boolean modelApplies = AnswerDecision.modelApplies(snapshot.pairs().size(), (int) snapshot.groupCount())
				&& snapshot.policy().usesModel() && model.embeddingModelId().equals(snapshot.embeddingModel());
		for (Unchecked question : embedded) {
			Optional<Prediction> prediction = modelApplies ? Optional.of(model.predict(question.vector()))
					: Optional.empty();
			Nearest nearest = Nearest.of(question.vector(), snapshot.pairs(), null);
			Decision decision = AnswerDecision.decide(prediction,
					nearest.pair().map(p -> new AnswerDecision.Neighbour(p.groupId(), nearest.similarity(), true)),
					snapshot.policy());
			String outcome = outcome(question, decision);
			UUID answered = decision.groupId()
				.flatMap(group -> Nearest.of(question.vector(), snapshot.pairs(), group).pair())
				.map(TrainingSnapshot.Pair::id)
				.orElse(null);
			this.jdbc.sql(SAVE_RESULT)
				.param("workspaceId", snapshot.workspaceId())
				.param("version", version)
				.param("id", question.id())
				.param("outcome", outcome)
				.param("answeredQaId", answered)
				.param("confidence", Math.max(0, Math.min(1, decision.confidence())))
				.update();
		}
		return embedded.size();
	}

	private List<Unchecked> withVectors(UUID workspaceId, List<Unchecked> questions, String embeddingModel) {
		List<Unchecked> missing = questions.stream().filter(q -> q.vector() == null).toList();
		if (missing.isEmpty()) {
			return questions;
		}
		if (!this.provider.modelId().equals(embeddingModel)) {
			// this deployment cannot embed with the workspace's model (it is switching): check what has vectors
			return questions.stream().filter(q -> q.vector() != null).toList();
		}
		EmbeddingProvider.Embedded embedded = this.provider.embedAllCounted(missing.stream().map(Unchecked::question).toList());
		List<float[]> vectors = embedded.vectors();
		List<Unchecked> all = new ArrayList<>(questions.stream().filter(q -> q.vector() != null).toList());
		this.transactions.executeWithoutResult(status -> {
			// billed even for a question edited meanwhile (its vector is then not kept), so recorded all the same
			this.usage.record(workspaceId, embeddingModel, embedded.tokens());
			for (int i = 0; i < missing.size(); i++) {
				Unchecked question = missing.get(i);
				this.jdbc.sql(SAVE_VECTOR)
					.param("id", question.id())
					.param("question", question.question())
					.param("embedding", new PGvector(vectors.get(i)))
					.param("model", embeddingModel)
					.update();
			}
		});
		for (int i = 0; i < missing.size(); i++) {
			Unchecked question = missing.get(i);
			all.add(new Unchecked(question.id(), question.question(), question.expectedQaId(), question.expectedAnswer(),
					vectors.get(i)));
		}
		return all;
	}

	private static String outcome(Unchecked question, Decision decision) {
		if (question.expectedQaId() == null) {
			return decision.gap() ? "right" : "wrongly_answered";
		}
		if (decision.gap()) {
			return "wrongly_flagged";
		}
		String expected = AnswerGroups.groupId(question.expectedAnswer());
		return decision.groupId().get().equals(expected) ? "right" : "wrong_answer";
	}

}
