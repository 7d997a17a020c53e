package dev.clara.chat.turn;

import java.util.UUID;

import dev.clara.chat.answer.Completion;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a whole turn in one transaction: the conversation, the visitor's and Clara's messages,
 * the LLM usage and the {@code QuestionAsked} outbox row. Either all of it commits or none.
 */
@Repository
class TurnRecorder {

	private static final String UPSERT_CONVERSATION = """
			INSERT INTO conversations (workspace_id, session_token, visitor_name, visitor_email)
			VALUES (:workspaceId, :token, :visitorName, :visitorEmail)
			ON CONFLICT (workspace_id, session_token) DO UPDATE
			SET visitor_name = COALESCE(EXCLUDED.visitor_name, conversations.visitor_name),
			    visitor_email = COALESCE(EXCLUDED.visitor_email, conversations.visitor_email)
			RETURNING id
			""";

	private static final String INSERT_MESSAGE = """
			INSERT INTO messages (conversation_id, workspace_id, message_id, role, content, metadata)
			VALUES (:conversationId, :workspaceId, :messageId, :role, :content, CAST(:metadata AS jsonb))
			ON CONFLICT (conversation_id, message_id) DO NOTHING
			RETURNING id
			""";

	private static final String MARK_ESCALATED = """
			UPDATE conversations SET escalated = true, escalated_at = COALESCE(escalated_at, now())
			WHERE id = :conversationId AND workspace_id = :workspaceId
			""";

	private static final String INSERT_USAGE = """
			INSERT INTO api_usage (workspace_id, provider, model, prompt_tokens, completion_tokens, total_tokens,
			                       conversation_id, message_id, latency_ms)
			VALUES (:workspaceId, :provider, :model, :promptTokens, :completionTokens, :totalTokens,
			        :conversationId, :messageId, :latencyMs)
			""";

	private static final String INSERT_OUTBOX = """
			INSERT INTO outbox_events (id, workspace_id, aggregate_type, aggregate_id, event_type, event_version, payload)
			VALUES (:id, :workspaceId, 'conversation', :aggregateId, :eventType, :eventVersion, CAST(:payload AS jsonb))
			""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	TurnRecorder(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/** Everything one turn writes; the JSON fields are already serialised. */
	record Turn(ChatRequest request, UUID assistantMessageId, String answer, String assistantMetadataJson,
			boolean escalationOffered, Completion completion, UUID eventId, String eventType, int eventVersion,
			java.util.function.Function<UUID, String> eventJsonForConversation) {
	}

	/** Thrown inside the transaction when another request stored this message first. */
	static final class AlreadyRecorded extends RuntimeException {

		AlreadyRecorded() {
			super(null, null, false, false);
		}

	}

	/** Returns the conversation id; throws {@link AlreadyRecorded} if the message exists. */
	UUID record(Turn turn) {
		return this.transactions.execute(status -> {
			ChatRequest request = turn.request();
			UUID conversationId = this.jdbc.sql(UPSERT_CONVERSATION)
				.param("workspaceId", request.workspaceId())
				.param("token", request.sessionToken())
				.param("visitorName", request.visitorName())
				.param("visitorEmail", request.visitorEmail())
				.query(UUID.class)
				.single();
			boolean inserted = insertMessage(conversationId, request.workspaceId(), request.messageId(), "user",
					request.content(), "{}");
			if (!inserted) {
				throw new AlreadyRecorded();
			}
			insertMessage(conversationId, request.workspaceId(), turn.assistantMessageId(), "assistant", turn.answer(),
					turn.assistantMetadataJson());
			if (turn.escalationOffered()) {
				this.jdbc.sql(MARK_ESCALATED)
					.param("conversationId", conversationId)
					.param("workspaceId", request.workspaceId())
					.update();
			}
			Completion completion = turn.completion();
			if (completion != null) {
				this.jdbc.sql(INSERT_USAGE)
					.param("workspaceId", request.workspaceId())
					.param("provider", completion.provider())
					.param("model", completion.model())
					.param("promptTokens", completion.promptTokens())
					.param("completionTokens", completion.completionTokens())
					.param("totalTokens", completion.totalTokens())
					.param("conversationId", conversationId)
					.param("messageId", turn.assistantMessageId())
					.param("latencyMs", completion.latencyMs())
					.update();
			}
			this.jdbc.sql(INSERT_OUTBOX)
				.param("id", turn.eventId())
				.param("workspaceId", request.workspaceId())
				.param("aggregateId", conversationId.toString())
				.param("eventType", turn.eventType())
				.param("eventVersion", turn.eventVersion())
				.param("payload", turn.eventJsonForConversation().apply(conversationId))
				.update();
			return conversationId;
		});
	}

	private boolean insertMessage(UUID conversationId, UUID workspaceId, UUID messageId, String role, String content,
			String metadataJson) {
		return this.jdbc.sql(INSERT_MESSAGE)
			.param("conversationId", conversationId)
			.param("workspaceId", workspaceId)
			.param("messageId", messageId)
			.param("role", role)
			.param("content", content)
			.param("metadata", metadataJson)
			.query(UUID.class)
			.optional()
			.isPresent();
	}

}
