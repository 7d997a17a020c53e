package dev.clara.chat.passages;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The workspace's document passages for a question no Q&A pair answers: the database's
 * {@code search_document_chunks} (serving versions only, the semantic candidates from the model's HNSW
 * index on the chunks, fused with the full-text ranks), kept
 * only when the best passage reaches the model's {@code passage_threshold}; {@code
 * clara.chat.passages.strategy=vector} leaves the full-text ranking out. Every statement names the
 * workspace. The question's vector goes as a binary {@code real[]}, as in the Q&amp;A pair search
 * (the same floats as pgvector's text, without writing and parsing 384 decimals).
 */
@Repository
public class PassageSearch {

	private static final String SEARCH = """
			SELECT id, document_id, title, heading, content, similarity
			FROM search_document_chunks(:workspaceId, CAST(:embedding AS real[])::extensions.vector, :question, :floor, :count, :model)
			""";

	private static final String THRESHOLD = "SELECT passage_threshold FROM embedding_models WHERE id = :model";

	private final JdbcClient jdbc;

	private final PassageProperties properties;

	PassageSearch(JdbcClient jdbc, PassageProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/** What answers the question from documents: the passages, best first, and the threshold they cleared. */
	public record Found(List<Passage> passages, double threshold) {

		public static final Found NONE = new Found(List.of(), 1.0);

		public boolean answers() {
			return !this.passages.isEmpty();
		}

	}

	/** How far below the threshold the passages beside the best one may be (they are context, not the answer). */
	static final double CONTEXT_MARGIN = 0.15;

	/**
	 * At most {@code count} passages when the most similar reaches the model's passage threshold
	 * (the others within {@link #CONTEXT_MARGIN} of it); none otherwise.
	 */
	public Found answering(UUID workspaceId, String model, String question, float[] embedding, int count) {
		Optional<Double> threshold = this.jdbc.sql(THRESHOLD).param("model", model).query(Double.class).optional();
		if (threshold.isEmpty()) {
			return Found.NONE;
		}
		List<Passage> passages = this.jdbc.sql(SEARCH)
			.param("workspaceId", workspaceId)
			.param("embedding", embedding)
			// an empty text has no lexemes, so the function's full-text ranking is empty: the vector one alone
			.param("question", this.properties.strategy() == PassageProperties.Strategy.HYBRID ? question : "")
			.param("floor", threshold.get() - CONTEXT_MARGIN)
			.param("count", count)
			.param("model", model)
			.query((row, i) -> new Passage(row.getObject("id", UUID.class), row.getObject("document_id", UUID.class),
					row.getString("title"), row.getString("heading") == null ? "" : row.getString("heading"),
					row.getString("content"), row.getDouble("similarity")))
			.list();
		double best = passages.stream().mapToDouble(Passage::similarity).max().orElse(0);
		return best >= threshold.get() ? new Found(passages, threshold.get()) : new Found(List.of(), threshold.get());
	}

}
