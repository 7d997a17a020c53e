package dev.clara.embedding;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The tokens a remote provider billed for a workspace's texts (its pairs' questions, its owner's
 * test questions), as an {@code api_usage} row of purpose {@code embedding} that counts toward the
 * workspace's monthly budget. Called inside the transaction that stores the vectors, so a crash
 * before the commit records neither and a retry that finds the vectors stored bills nothing.
 */
@Repository
public class EmbeddingUsageRepository {

	/**
	 * Skipped for a workspace deleted since (its usage went with it); the provider is OpenAI, the
	 * only one that bills.
	 */
	private static final String RECORD_USAGE = """
			INSERT INTO api_usage (workspace_id, provider, model, prompt_tokens, completion_tokens, total_tokens, purpose)
			SELECT w.id, 'openai', :model, :tokens, 0, :tokens, 'embedding' FROM workspaces w WHERE w.id = :workspaceId
			""";

	private final JdbcClient jdbc;

	public EmbeddingUsageRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records {@code tokens}; nothing when 0 (an in-process model bills none). */
	public void record(UUID workspaceId, String model, long tokens) {
		if (tokens <= 0) {
			return;
		}
		this.jdbc.sql(RECORD_USAGE).param("workspaceId", workspaceId).param("model", model).param("tokens", tokens).update();
	}

}
