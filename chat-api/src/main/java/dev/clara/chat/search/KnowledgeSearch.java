package dev.clara.chat.search;

import java.util.List;
import java.util.UUID;

import dev.clara.shared.embedding.Vectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Top-k cosine search over one workspace's active Q&A pairs embedded by the current model. */
@Component
public class KnowledgeSearch {

	private static final String SEARCH = """
			SELECT id, question, answer, category, similarity
			FROM search_qa_pairs(:workspaceId, CAST(:embedding AS extensions.vector), :floor, :count, :model)
			""";

	private final JdbcClient jdbc;

	KnowledgeSearch(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Best match first; only matches above {@code floor}. */
	public List<Match> search(UUID workspaceId, String model, float[] embedding, double floor, int count) {
		return this.jdbc.sql(SEARCH)
			.param("workspaceId", workspaceId)
			.param("embedding", Vectors.toPgVectorLiteral(embedding))
			.param("floor", floor)
			.param("count", count)
			.param("model", model)
			.query((row, i) -> new Match(row.getObject("id", UUID.class), row.getString("question"),
					row.getString("answer"), row.getString("category"), row.getDouble("similarity")))
			.list();
	}

}
