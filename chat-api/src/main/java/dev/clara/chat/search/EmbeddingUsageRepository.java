package dev.clara.chat.search;

import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The tokens a remote embedding provider billed for a workspace, as an {@code api_usage} row of
 * purpose {@code embedding}: the deployment's key pays, the workspace's monthly budget counts it.
 * One insert for every chat-api path that embeds for a workspace (a visitor's question, an
 * owner's new pair), so the rows have one shape. Runs as the service role, in the caller's
 * transaction when there is one: owners may only read {@code api_usage}.
 */
@Repository
public class EmbeddingUsageRepository {

	// the provider is OpenAI, the only one that bills; a workspace deleted meanwhile records nothing
	private static final String INSERT = """
			INSERT INTO api_usage (workspace_id, provider, model, prompt_tokens, completion_tokens, total_tokens,
			                       conversation_id, message_id, purpose)
			SELECT w.id, 'openai', :embeddingModel, :embeddingTokens, 0, :embeddingTokens, %s, CAST(:embeddingMessageId AS uuid),
			       'embedding'
			FROM workspaces w%s WHERE w.id = :workspaceId
			""";

	private final JdbcClient jdbc;

	EmbeddingUsageRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records {@code tokens} (nothing when 0: an in-process model bills none).
	 * @param conversationId the conversation of the turn, or null outside a chat turn
	 * @param messageId the visitor's message, or null outside a chat turn
	 */
	public void record(UUID workspaceId, String model, long tokens, UUID conversationId, UUID messageId) {
		if (tokens <= 0) {
			return;
		}
		MapSqlParameterSource params = new MapSqlParameterSource("embeddingConversationId", conversationId);
		this.jdbc.sql(insert(params, workspaceId, model, tokens, messageId, "CAST(:embeddingConversationId AS uuid)", ""))
			.paramSource(params)
			.update();
	}

	/**
	 * The same insert for a chat turn written in one statement, whose conversation the statement
	 * itself upserts: {@code conversationIdSql} is that id's SQL expression, {@code join} the
	 * {@code , …} that brings it into the FROM clause (no row there, no usage).
	 */
	public String insertSelecting(MapSqlParameterSource params, UUID workspaceId, String model, long tokens,
			UUID messageId, String conversationIdSql, String join) {
		return insert(params, workspaceId, model, tokens, messageId, conversationIdSql, join);
	}

	private static String insert(MapSqlParameterSource params, UUID workspaceId, String model, long tokens,
			UUID messageId, String conversationIdSql, String join) {
		params.addValue("workspaceId", workspaceId)
			.addValue("embeddingModel", model)
			.addValue("embeddingTokens", tokens)
			.addValue("embeddingMessageId", messageId);
		return INSERT.formatted(conversationIdSql, join);
	}

}
