package dev.clara.chat.answer;

import java.util.UUID;


import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * An LLM completion made for a workspace with its own key, as an {@code api_usage} row of purpose
 * {@code completion}: its tokens count toward the workspace's monthly budget. One insert for every
 * path that asks the LLM (a chat answer, a conversation's summary); in the caller's transaction.
 */
@Repository
public class CompletionUsageRepository {

	private static final String INSERT = """
			INSERT INTO api_usage (workspace_id, provider, model, prompt_tokens, completion_tokens, total_tokens,
			                       conversation_id, message_id, latency_ms)
			VALUES (:workspaceId, :provider, :model, :promptTokens, :completionTokens, :totalTokens,
			        :conversationId, :messageId, :latencyMs)
			""";

	private final JdbcClient jdbc;

	CompletionUsageRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param conversationId the conversation the completion was for
	 * @param messageId the assistant's message it wrote, or null (a summary)
	 */
	public void record(UUID workspaceId, Completion completion, UUID conversationId, UUID messageId) {
		this.jdbc.sql(INSERT)
			.param("workspaceId", workspaceId)
			.param("provider", completion.provider())
			.param("model", completion.model())
			.param("promptTokens", completion.promptTokens())
			.param("completionTokens", completion.completionTokens())
			.param("totalTokens", completion.totalTokens())
			.param("conversationId", conversationId)
			.param("messageId", messageId)
			.param("latencyMs", completion.latencyMs())
			.update();
	}

}
