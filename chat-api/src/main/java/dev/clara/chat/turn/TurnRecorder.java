package dev.clara.chat.turn;

import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
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

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a whole turn in one statement, one round trip: the end user, the conversation (with its
 * escalation mark), the visitor's and Clara's messages, the documents the answer used, the LLM and
 * remote embedding usage and the {@code QuestionAsked} outbox row. A data-modifying {@code WITH}:
 * each part is a query of it, and the parts that need the conversation select it from the upsert's
 * {@code RETURNING}. Either all of it is written or none: a refusal (another user's conversation,
 * a message already stored) is raised by the statement's last query ({@code refuse_chat_turn}),
 * which undoes the whole statement.
 *
 * <p>Only a turn whose tokens may reach the workspace's monthly budget (as the turn read it) takes
 * a transaction: the statement, then {@link SpendCapRepository#announceIfReached}, which needs the
 * month's sum with this turn's usage in it, and its {@code SpendCapReached} outbox row.
 */
@Repository
class TurnRecorder {

	/** The aggregate of a turn's event in the outbox: the conversation it belongs to. */
	private static final String CONVERSATION = "conversation";

	/** The refusals' SQLSTATE ({@code refuse_chat_turn}). */
	private static final String REFUSED = "CL409";

	/**
	 * A verified user's conversation is theirs: an anonymous one becomes theirs, one of another
	 * user (or, for an anonymous visitor, of any user) is not touched and returns no row. The
	 * escalation mark is part of the upsert: one statement may not change a row twice.
	 */
	private static final String UPSERT_CONVERSATION = """
			conversation AS (
			  INSERT INTO conversations (workspace_id, session_token, visitor_name, visitor_email, end_user_id,
			                             escalated, escalated_at)
			  VALUES (:workspaceId, :token, :visitorName, :visitorEmail, %s, :escalated,
			          CASE WHEN :escalated THEN now() END)
			  ON CONFLICT (workspace_id, session_token) DO UPDATE
			  SET visitor_name = COALESCE(EXCLUDED.visitor_name, conversations.visitor_name),
			      visitor_email = COALESCE(EXCLUDED.visitor_email, conversations.visitor_email),
			      end_user_id = COALESCE(conversations.end_user_id, EXCLUDED.end_user_id),
			      escalated = conversations.escalated OR EXCLUDED.escalated,
			      escalated_at = CASE WHEN EXCLUDED.escalated THEN COALESCE(conversations.escalated_at, now())
			                     ELSE conversations.escalated_at END
			  WHERE conversations.end_user_id IS NULL OR conversations.end_user_id = EXCLUDED.end_user_id
			  RETURNING id
			)""";

	/** The visitor's message; none when it is already stored (then the statement refuses). */
	private static final String INSERT_VISITOR_MESSAGE = """
			visitor AS (
			  INSERT INTO messages (conversation_id, workspace_id, message_id, role, content, metadata)
			  SELECT c.id, :workspaceId, :messageId, 'user', :content, '{}'::jsonb FROM conversation c
			  ON CONFLICT (conversation_id, message_id) DO NOTHING
			  RETURNING id
			)""";

	/** Clara's message, after the visitor's (created_at is the clock's, and the order must survive). */
	private static final String INSERT_REPLY = """
			reply AS (
			  INSERT INTO messages (conversation_id, workspace_id, message_id, role, content, metadata)
			  SELECT c.id, :workspaceId, :replyId, 'assistant', :answer, CAST(:metadata AS jsonb)
			  FROM conversation c CROSS JOIN visitor v
			  ON CONFLICT (conversation_id, message_id) DO NOTHING
			  RETURNING created_at, metadata::text AS metadata
			)""";

	/** The chunks of a document the answer used, once each; nothing when the document was deleted meanwhile. */
	private static final String LINK_DOCUMENT = """
			link%1$d AS (
			  INSERT INTO document_conversation_links (document_id, conversation_id, workspace_id, chunk_ids)
			  SELECT d.id, c.id, d.workspace_id, CAST(:chunkIds%1$d AS uuid[]) FROM documents d CROSS JOIN conversation c
			  WHERE d.id = :documentId%1$d AND d.workspace_id = :workspaceId
			  ON CONFLICT (document_id, conversation_id) DO UPDATE
			  SET chunk_ids = ARRAY(SELECT DISTINCT unnest(document_conversation_links.chunk_ids || EXCLUDED.chunk_ids))
			)""";

	/** The statement's answer, or its refusal. */
	private static final String RESULT = """
			SELECT c.id AS conversation_id, r.created_at, r.metadata,
			       CASE WHEN c.id IS NULL THEN public.refuse_chat_turn('not_yours')
			            WHEN v.id IS NULL OR r.created_at IS NULL THEN public.refuse_chat_turn('already_recorded')
			       END AS refused
			FROM (SELECT 1) one
			LEFT JOIN conversation c ON true
			LEFT JOIN visitor v ON true
			LEFT JOIN reply r ON true
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
			Judgement judgement, java.util.Map<UUID, java.util.List<UUID>> documentChunks) {

		/** A turn that used no document. */
		Turn(ChatRequest request, UUID assistantMessageId, String answer, String assistantMetadataJson,
				boolean escalationOffered, Completion completion, long embeddingTokens, TokenBudget tokenBudget,
				Judgement judgement) {
			this(request, assistantMessageId, answer, assistantMetadataJson, escalationOffered, completion,
					embeddingTokens, tokenBudget, judgement, java.util.Map.of());
		}

		/** The turn's {@code QuestionAsked}, once the transaction knows its conversation. */
		EventEnvelope<QuestionAsked> questionAsked(UUID conversationId, UUID endUserId) {
			return EventCodec.envelope(this.request.workspaceId(), this.judgement.askedAt(),
					new QuestionAsked(conversationId, this.request.messageId(), this.request.content(), this.answer,
							this.judgement.bestMatchId(), this.judgement.similarity(), this.judgement.threshold(),
							this.judgement.gapDetected(), this.judgement.embeddingModel(), this.judgement.askedAt(),
							endUserId, this.judgement.questionEmbedding()));
		}

	}

	/**
	 * How the search judged the visitor's question, as {@code QuestionAsked} reports it.
	 * @param bestMatchId the closest pair, or null when there was none
	 * @param gapDetected whether {@code similarity} fell short of {@code threshold}
	 * @param questionEmbedding the question's vector, for a gap only (the gap detector's grouping uses
	 * it); null for an answered question, which no consumer needs a vector of
	 */
	record Judgement(UUID bestMatchId, double similarity, double threshold, boolean gapDetected,
			String embeddingModel, Instant askedAt, float[] questionEmbedding) {
	}

	/** Thrown inside the transaction when another request stored this message first. */
	static final class AlreadyRecorded extends RuntimeException {

		AlreadyRecorded() {
			super(null, null, false, false);
		}

	}

	/** What the turn stored: its conversation, and Clara's message as the database holds it. */
	record Recorded(UUID conversationId, Instant replyCreatedAt, String replyMetadataJson) {
	}

	/**
	 * Writes the turn; throws {@link AlreadyRecorded} if the visitor's message exists, and
	 * {@link ConversationAccess#notYours} if the conversation became another user's meanwhile.
	 */
	Recorded record(Turn turn) {
		Completion completion = turn.completion();
		long added = turn.embeddingTokens() + (completion == null ? 0 : completion.totalTokens());
		if (!turn.tokenBudget().reachedWith(added)) {
			return write(turn);
		}
		return this.transactions.execute(status -> {
			Recorded recorded = write(turn);
			this.spendCaps.announceIfReached(turn.request().workspaceId(), turn.tokenBudget(), added);
			return recorded;
		});
	}

	private Recorded write(Turn turn) {
		MapSqlParameterSource params = new MapSqlParameterSource();
		String sql = statement(turn, params);
		try {
			return this.jdbc.sql(sql)
				.paramSource(params)
				.query((row, i) -> new Recorded(row.getObject("conversation_id", UUID.class),
						row.getObject("created_at", OffsetDateTime.class).toInstant(), row.getString("metadata")))
				.single();
		}
		catch (DataAccessException ex) {
			throw refusal(ex);
		}
	}

	/** The turn's statement: its {@code WITH} queries in the order they depend on each other. */
	private String statement(Turn turn, MapSqlParameterSource params) {
		ChatRequest request = turn.request();
		params.addValue("workspaceId", request.workspaceId())
			.addValue("token", request.sessionToken())
			.addValue("visitorName", request.visitorName())
			.addValue("visitorEmail", request.visitorEmail())
			.addValue("escalated", turn.escalationOffered())
			.addValue("messageId", request.messageId())
			.addValue("content", request.content())
			.addValue("replyId", turn.assistantMessageId())
			.addValue("answer", turn.answer())
			.addValue("metadata", turn.assistantMetadataJson());
		StringBuilder sql = new StringBuilder("WITH ");
		String endUserId = "CAST(NULL AS uuid)";
		UUID endUserStandIn = null;
		if (request.user() != null) {
			sql.append("end_user AS (").append(this.endUsers.upsertReturningId(params, request.workspaceId(), request.user()))
				.append("),\n");
			endUserId = "(SELECT id FROM end_user)";
			endUserStandIn = UUID.randomUUID();
		}
		sql.append(UPSERT_CONVERSATION.formatted(endUserId)).append(",\n").append(INSERT_VISITOR_MESSAGE).append(",\n")
			.append(INSERT_REPLY);
		String afterVisitor = "FROM conversation c CROSS JOIN visitor v";
		Completion completion = turn.completion();
		if (completion != null) {
			sql.append(",\ncompletion_usage AS (").append(this.completionUsage.insertSelecting(params,
					request.workspaceId(), completion, turn.assistantMessageId(), "c.id", afterVisitor)).append(")");
		}
		int document = 0;
		for (Map.Entry<UUID, java.util.List<UUID>> link : turn.documentChunks().entrySet()) {
			params.addValue("documentId" + document, link.getKey())
				.addValue("chunkIds" + document, link.getValue().toArray(UUID[]::new));
			sql.append(",\n").append(LINK_DOCUMENT.formatted(document++));
		}
		if (turn.embeddingTokens() > 0) {
			sql.append(",\nembedding_usage AS (").append(this.embeddingUsage.insertSelecting(params,
					request.workspaceId(), turn.judgement().embeddingModel(), turn.embeddingTokens(),
					request.messageId(), "c.id", " CROSS JOIN conversation c CROSS JOIN visitor v")).append(")");
		}
		UUID conversationStandIn = UUID.randomUUID();
		Map<UUID, String> standIns = new LinkedHashMap<>();
		standIns.put(conversationStandIn, "c.id");
		if (endUserStandIn != null) {
			standIns.put(endUserStandIn, "(SELECT id FROM end_user)");
		}
		sql.append(",\nquestion_asked AS (").append(this.outbox.insertSelecting(params, "outbox",
				turn.questionAsked(conversationStandIn, endUserStandIn), CONVERSATION, "CAST(c.id AS text)", standIns,
				afterVisitor)).append(")\n");
		return sql.append(RESULT).toString();
	}

	/** A refusal of the statement as the turn's exception; any other failure as it was. */
	private static RuntimeException refusal(DataAccessException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && REFUSED.equals(sql.getSQLState())) {
				if (sql.getMessage() != null && sql.getMessage().contains("not_yours")) {
					return ConversationAccess.notYours();
				}
				return new AlreadyRecorded();
			}
		}
		return ex;
	}

}
