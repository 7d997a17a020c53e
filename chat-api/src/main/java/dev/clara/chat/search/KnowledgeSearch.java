package dev.clara.chat.search;

import java.util.List;
import java.util.UUID;

import dev.clara.shared.embedding.Vectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Searches one workspace's active Q&A pairs embedded by the current model and orders the hits so
 * the best match comes first: semantic (cosine) or hybrid (full-text fused with cosine by
 * reciprocal rank), then top-1 or a vote over the hits ({@link SearchProperties}). Whatever the
 * order, each {@link Match#similarity()} is the pair's cosine similarity to the question.
 */
@Component
public class KnowledgeSearch {

	/** Cosine search; a hit votes with its similarity. */
	private static final String SEARCH = """
			SELECT id, question, answer, category, similarity, similarity AS weight
			FROM search_qa_pairs(:workspaceId, CAST(:embedding AS extensions.vector), :floor, :count, :model)
			""";

	/** Full-text and cosine search fused by reciprocal rank (V25); a hit votes with its fused score. */
	private static final String HYBRID_SEARCH = """
			SELECT id, question, answer, category, similarity, score AS weight
			FROM search_qa_pairs_hybrid(:workspaceId, CAST(:embedding AS extensions.vector), :question, :floor, :count,
			                            :model, :rrfK, :candidates)
			""";

	private final JdbcClient jdbc;

	private final SearchProperties properties;

	KnowledgeSearch(JdbcClient jdbc, SearchProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/**
	 * The configured search for a visitor's question: at most {@code count} matches above
	 * {@code floor} (cosine similarity), the best match first.
	 */
	public List<Match> search(UUID workspaceId, String model, String question, float[] embedding, double floor,
			int count) {
		boolean vote = this.properties.bestMatch() == SearchProperties.BestMatch.VOTE;
		int wanted = vote ? Math.max(count, this.properties.voteCount()) : count;
		List<BestMatch.Hit> hits = hits(workspaceId, model, question, embedding, floor, wanted);
		List<Match> ordered = vote ? BestMatch.vote(hits) : hits.stream().map(BestMatch.Hit::match).toList();
		return ordered.size() > count ? List.copyOf(ordered.subList(0, count)) : ordered;
	}

	private List<BestMatch.Hit> hits(UUID workspaceId, String model, String question, float[] embedding, double floor,
			int count) {
		boolean hybrid = this.properties.strategy() == SearchProperties.Strategy.HYBRID;
		JdbcClient.StatementSpec statement = this.jdbc.sql(hybrid ? HYBRID_SEARCH : SEARCH)
			.param("workspaceId", workspaceId)
			.param("embedding", Vectors.toPgVectorLiteral(embedding))
			.param("floor", floor)
			.param("count", count)
			.param("model", model);
		if (hybrid) {
			statement = statement.param("question", (question != null) ? question : "")
				.param("rrfK", this.properties.rrfK())
				.param("candidates", Math.max(this.properties.candidates(), count));
		}
		return statement
			.query((row, i) -> new BestMatch.Hit(new Match(row.getObject("id", UUID.class), row.getString("question"),
					row.getString("answer"), row.getString("category"), row.getDouble("similarity")),
					row.getDouble("weight")))
			.list();
	}

}
