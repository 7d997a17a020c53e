package dev.clara.chat.owner.pairs;

import java.util.List;
import java.util.UUID;

import dev.clara.chat.search.QuestionEmbeddings;
import dev.clara.shared.embedding.Vectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * 004's dedup rule: a new or edited Q&A pair whose question is more similar than the model's
 * {@code near_duplicate_threshold} (004: 0.95) to another pair gets a warning (not a refusal). The
 * question is embedded before the transaction (no connection is held while the model runs); the
 * search runs inside it, under the owner's row-level security.
 */
@Component
public class NearDuplicates {

	private static final Logger log = LoggerFactory.getLogger(NearDuplicates.class);

	private static final String MODEL = """
			SELECT COALESCE(w.search_model, :deploymentModel) FROM workspaces w
			""";

	private static final String SEARCH = """
			SELECT s.id, s.question, s.similarity
			FROM embedding_models m,
			     LATERAL search_qa_pairs(:workspaceId, CAST(:embedding AS extensions.vector), m.near_duplicate_threshold, 4, m.id) s
			WHERE m.id = :model
			""";

	private final QuestionEmbeddings embeddings;

	NearDuplicates(QuestionEmbeddings embeddings) {
		this.embeddings = embeddings;
	}

	/** A question's vector by one model, made before the transaction. */
	public record Probe(String model, float[] vector) {
	}

	public record Warning(String type, UUID qaPairId, String question, double similarity) {
	}

	/**
	 * Embeds with the model the workspace's search uses (read in a short owner transaction by the
	 * caller); null when that model cannot be used here or embedding fails: the pair is still
	 * saved, without the check.
	 */
	public Probe probe(String model, String question) {
		if (model == null || !this.embeddings.canEmbedWith(model)) {
			return null;
		}
		try {
			return new Probe(model, this.embeddings.embed(model, question));
		}
		catch (RuntimeException ex) {
			log.warn("Near-duplicate check skipped: embedding failed ({})", ex.getClass().getSimpleName());
			return null;
		}
	}

	public String modelOf(JdbcClient sql) {
		return sql.sql(MODEL).param("deploymentModel", this.embeddings.deploymentModel()).query(String.class).single();
	}

	/** Pairs near {@code probe}, inside the owner's transaction; {@code self} is left out. */
	public List<Warning> find(JdbcClient sql, UUID workspaceId, Probe probe, UUID self) {
		if (probe == null) {
			return List.of();
		}
		return sql.sql(SEARCH)
			.param("workspaceId", workspaceId)
			.param("embedding", Vectors.toPgVectorLiteral(probe.vector()))
			.param("model", probe.model())
			.query((row, i) -> new Warning("near_duplicate", row.getObject("id", UUID.class), row.getString("question"),
					Math.round(row.getDouble("similarity") * 10000) / 10000.0))
			.list()
			.stream()
			.filter(warning -> !warning.qaPairId().equals(self))
			.limit(3)
			.toList();
	}

}
