package dev.clara.chat.search;

import java.util.List;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository sends the question's vector as a binary {@code real[]}: the rows it gets back,
 * their order and their similarities are exactly those of the same function called with the vector
 * as pgvector's text, for the semantic and the hybrid search.
 */
class PairSearchRepositoryIntegrationTests extends ChatApiIntegrationTest {

	@Autowired
	PairSearchRepository pairs;

	@Autowired
	QuestionEmbeddings questions;

	@Test
	void semanticSearchReturnsWhatTheVectorAsTextReturns() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		String model = this.questions.deploymentModel();
		for (String question : List.of("What's the price of the pro plan?", "How do I reset my password?",
				"What is the capital of Mongolia?")) {
			float[] vector = this.questions.embed(model, question);

			List<BestMatch.Hit> hits = this.pairs.semantic(workspace, model, vector, -1, 5);

			assertThat(hits).hasSize(5);
			assertThat(hits).extracting(hit -> hit.match().id() + " " + hit.match().similarity())
				.containsExactlyElementsOf(this.jdbc.sql("""
						SELECT id, similarity FROM search_qa_pairs(:workspaceId, :embedding, -1, 5, :model)""")
					.param("workspaceId", workspace)
					.param("embedding", new PGvector(vector))
					.param("model", model)
					.query((row, i) -> row.getObject("id", UUID.class) + " " + row.getDouble("similarity"))
					.list());
		}
	}

	@Test
	void hybridSearchReturnsWhatTheVectorAsTextReturns() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		String model = this.questions.deploymentModel();
		String question = "How much is the pro plan per month?";
		float[] vector = this.questions.embed(model, question);

		List<BestMatch.Hit> hits = this.pairs.hybrid(workspace, model, question, vector, -1, 5, 60, 20);

		assertThat(hits).isNotEmpty();
		assertThat(hits).extracting(hit -> hit.match().id() + " " + hit.match().similarity() + " " + hit.weight())
			.containsExactlyElementsOf(this.jdbc.sql("""
					SELECT id, similarity, score
					FROM search_qa_pairs_hybrid(:workspaceId, :embedding, :question, -1, 5, :model, 60, 20)""")
				.param("workspaceId", workspace)
				.param("embedding", new PGvector(vector))
				.param("question", question)
				.param("model", model)
				.query((row, i) -> row.getObject("id", UUID.class) + " " + row.getDouble("similarity") + " "
						+ row.getDouble("score"))
				.list());
	}

}
