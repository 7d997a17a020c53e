package dev.clara.chat;

import java.util.List;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.shared.embedding.EmbeddingProvider;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Makes owners, workspaces and embedded Q&A pairs the way the product does, for tests. */
public final class Workspaces {

	private final JdbcClient jdbc;

	private final EmbeddingProvider embeddings;

	public Workspaces(JdbcClient jdbc, EmbeddingProvider embeddings) {
		this.jdbc = jdbc;
		this.embeddings = embeddings;
	}

	/** A new owner; the database gives them their workspace. Returns the workspace id. */
	public UUID create() {
		return ChatApiDatabase.get().newOwnerWorkspace();
	}

	/** Merges {@code settingsJson} into the workspace's settings. */
	public void settings(UUID workspaceId, String settingsJson) {
		this.jdbc.sql("UPDATE workspaces SET settings = settings || CAST(:settings AS jsonb) WHERE id = :id")
			.param("settings", settingsJson)
			.param("id", workspaceId)
			.update();
	}

	/** Adds a Q&A pair embedded by the deployment's model, as the embedding worker would. */
	public UUID pair(UUID workspaceId, String question, String answer, String category) {
		UUID id = this.jdbc
			.sql("INSERT INTO qa_pairs (workspace_id, question, answer, category) VALUES (:ws, :q, :a, :c) RETURNING id")
			.param("ws", workspaceId)
			.param("q", question)
			.param("a", answer)
			.param("c", category)
			.query(UUID.class)
			.single();
		this.jdbc.sql("""
				UPDATE qa_pairs SET embedding = CAST(:embedding AS extensions.vector), embedding_model = :model,
				       embedded_at = now()
				WHERE id = :id
				""")
			.param("embedding", new PGvector(this.embeddings.embed(question)))
			.param("model", this.embeddings.modelId())
			.param("id", id)
			.update();
		return id;
	}

	/** A small software company's knowledge base. */
	public List<UUID> saasKnowledgeBase(UUID workspaceId) {
		return List.of(
				pair(workspaceId, "How much does the Pro plan cost?",
						"The Pro plan is $49 per month, billed monthly, or $490 per year.", "pricing"),
				pair(workspaceId, "Can I get a refund?",
						"Yes: we refund any payment within 30 days, no questions asked.", "pricing"),
				pair(workspaceId, "Do you integrate with Slack?",
						"Yes, our Slack integration posts new conversations to a channel of your choice.",
						"developers"),
				pair(workspaceId, "Is my data encrypted?",
						"All data is encrypted in transit with TLS 1.3 and at rest with AES-256.", "general"),
				pair(workspaceId, "How do I reset my password?",
						"Click 'Forgot password' on the sign-in page and follow the e-mail we send you.", "process"),
				pair(workspaceId, "Do you offer a free trial?",
						"Every plan comes with a 14-day free trial, no credit card required.", "pricing"));
	}

}
