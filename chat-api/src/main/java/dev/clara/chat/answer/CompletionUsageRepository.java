package dev.clara.chat.answer;

import java.util.UUID;


import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
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
			SELECT :workspaceId, :completionProvider, :completionModel, :completionPromptTokens,
			       :completionTokens, :completionTotalTokens, %s, CAST(:completionMessageId AS uuid), :completionLatencyMs%s
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
		MapSqlParameterSource params = new MapSqlParameterSource("completionConversationId", conversationId);
		this.jdbc.sql(insert(params, workspaceId, completion, messageId, "CAST(:completionConversationId AS uuid)", ""))
			.paramSource(params)
			.update();
	}

	/**
	 * The same insert for a chat turn written in one statement, whose conversation the statement
	 * itself upserts: {@code conversationIdSql} is that id's SQL expression, {@code from} the
	 * {@code FROM …} that brings it (no row there, no usage).
	 */
	public String insertSelecting(MapSqlParameterSource params, UUID workspaceId, Completion completion,
			UUID messageId, String conversationIdSql, String from) {
		return insert(params, workspaceId, completion, messageId, conversationIdSql, " " + from);
	}

	private static String insert(MapSqlParameterSource params, UUID workspaceId, Completion completion,
			UUID messageId, String conversationIdSql, String from) {
		params.addValue("workspaceId", workspaceId)
			.addValue("completionProvider", completion.provider())
			.addValue("completionModel", completion.model())
			.addValue("completionPromptTokens", completion.promptTokens())
			.addValue("completionTokens", completion.completionTokens())
			.addValue("completionTotalTokens", completion.totalTokens())
			.addValue("completionMessageId", messageId)
			.addValue("completionLatencyMs", completion.latencyMs());
		return INSERT.formatted(conversationIdSql, from);
	}

}
