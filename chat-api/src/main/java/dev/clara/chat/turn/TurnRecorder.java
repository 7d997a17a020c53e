package dev.clara.chat.turn;

import java.time.Instant;
import java.util.UUID;

import dev.clara.chat.answer.Completion;
import dev.clara.chat.identity.ConversationAccess;
import dev.clara.chat.identity.EndUserRepository;
import dev.clara.chat.search.EmbeddingUsageRepository;
import dev.clara.chat.answer.CompletionUsageRepository;
import dev.clara.chat.workspace.SpendCapRepository;
import dev.clara.chat.workspace.TokenBudget;
import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.QuestionAsked;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a whole turn in one transaction: the conversation, the visitor's and Clara's messages,
 * the LLM and remote embedding usage and the {@code QuestionAsked} outbox row, and the
 * {@code SpendCapReached} one when that usage reaches the monthly budget. Either all of it commits or none.
 */
@Repository
class TurnRecorder {

	/** The aggregate of a turn's event in the outbox: the conversation it belongs to. */
	private static final String CONVERSATION = "conversation";

	/**
	 * A verified user's conversation is theirs: an anonymous one becomes theirs, one of another
	 * user (or, for an anonymous visitor, of any user) is not touched and returns no row.
	 */
	private static final String UPSERT_CONVERSATION = """
			INSERT INTO conversations (workspace_id, session_token, visitor_name, visitor_email, end_user_id)
			VALUES (:workspaceId, :token, :visitorName, :visitorEmail, :endUserId)
			ON CONFLICT (workspace_id, session_token) DO UPDATE
			SET visitor_name = COALESCE(EXCLUDED.visitor_name, conversations.visitor_name),
			    visitor_email = COALESCE(EXCLUDED.visitor_email, conversations.visitor_email),
			    end_user_id = COALESCE(conversations.end_user_id, EXCLUDED.end_user_id)
			WHERE conversations.end_user_id IS NULL OR conversations.end_user_id = EXCLUDED.end_user_id
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

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final OutboxWriter outbox;

	private final SpendCapRepository spendCaps;

	private final EmbeddingUsageRepository embeddingUsage;

	private final EndUserRepository endUsers;

	private final CompletionUsageRepository completionUsage;

	TurnRecorder(JdbcClient jdbc, TransactionTemplate transactions, OutboxWriter outbox, SpendCapRepository spendCaps,
			EmbeddingUsageRepository embeddingUsage, EndUserRepository endUsers, CompletionUsageRepository completionUsage) {
		this.endUsers = endUsers;
		this.completionUsage = completionUsage;
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.outbox = outbox;
		this.spendCaps = spendCaps;
		this.embeddingUsage = embeddingUsage;
	}

	/**
	 * Everything one turn writes; the metadata JSON is already serialised.
	 * @param tokenBudget the workspace's budget and the month's tokens as the turn read them at its start
	 */
	record Turn(ChatRequest request, UUID assistantMessageId, String answer, String assistantMetadataJson,
			boolean escalationOffered, Completion completion, long embeddingTokens, TokenBudget tokenBudget,
			Judgement judgement) {

		/** The turn's {@code QuestionAsked}, once the transaction knows its conversation. */
		EventEnvelope<QuestionAsked> questionAsked(UUID conversationId, UUID endUserId) {
			return EventCodec.envelope(this.request.workspaceId(), this.judgement.askedAt(),
					new QuestionAsked(conversationId, this.request.messageId(), this.request.content(), this.answer,
							this.judgement.bestMatchId(), this.judgement.similarity(), this.judgement.threshold(),
							this.judgement.gapDetected(), this.judgement.embeddingModel(), this.judgement.askedAt(),
							endUserId));
		}

	}

	/**
	 * How the search judged the visitor's question, as {@code QuestionAsked} reports it.
	 * @param bestMatchId the closest pair, or null when there was none
	 * @param gapDetected whether {@code similarity} fell short of {@code threshold}
	 */
	record Judgement(UUID bestMatchId, double similarity, double threshold, boolean gapDetected,
			String embeddingModel, Instant askedAt) {
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
			UUID endUserId = request.user() == null ? null : this.endUsers.upsert(request.workspaceId(), request.user());
			UUID conversationId = this.jdbc.sql(UPSERT_CONVERSATION)
				.param("workspaceId", request.workspaceId())
				.param("token", request.sessionToken())
				.param("visitorName", request.visitorName())
				.param("visitorEmail", request.visitorEmail())
				.param("endUserId", endUserId)
				.query(UUID.class)
				.optional()
				// another user's since the turn began: nothing of this turn is written
				.orElseThrow(ConversationAccess::notYours);
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
				this.completionUsage.record(request.workspaceId(), completion, conversationId, turn.assistantMessageId());
			}
			this.embeddingUsage.record(request.workspaceId(), turn.judgement().embeddingModel(), turn.embeddingTokens(),
					conversationId, request.messageId());
			this.outbox.append(turn.questionAsked(conversationId, endUserId), CONVERSATION, conversationId.toString());
			long added = turn.embeddingTokens() + (completion == null ? 0 : completion.totalTokens());
			this.spendCaps.announceIfReached(request.workspaceId(), turn.tokenBudget(), added);
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
