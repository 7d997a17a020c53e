package dev.clara.chat.memory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.clara.chat.answer.LlmClient.Turn;
import dev.clara.chat.answer.VisitorMemory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A signed-in visitor's memory in the database: their recent messages across conversations, the
 * summaries of their earlier conversations ({@code conversations.summary}), and the idle
 * conversations whose summary is missing or older than their last message.
 */
@Repository
class MemoryRepository {

	/** The user's latest messages, of every conversation (so another device's conversation counts too). */
	private static final String RECENT_TURNS = """
			SELECT m.role, m.content
			FROM end_users e
			JOIN conversations c ON c.end_user_id = e.id AND c.workspace_id = e.workspace_id
			JOIN messages m ON m.conversation_id = c.id AND m.workspace_id = c.workspace_id
			WHERE e.workspace_id = :workspaceId AND e.external_id = :externalId AND m.role IN ('user', 'assistant')
			ORDER BY m.created_at DESC, m.role DESC
			LIMIT :limit
			""";

	private static final String PROFILE = """
			SELECT jsonb_strip_nulls(jsonb_build_object('name', e.name, 'traits', NULLIF(e.traits, '{}'::jsonb)))::text
			FROM end_users e WHERE e.workspace_id = :workspaceId AND e.external_id = :externalId
			""";

	/** Summaries of the user's other conversations, newest first. */
	private static final String SUMMARIES = """
			SELECT c.summary ->> 'text' AS text, to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
			FROM end_users e
			JOIN conversations c ON c.end_user_id = e.id AND c.workspace_id = e.workspace_id
			WHERE e.workspace_id = :workspaceId AND e.external_id = :externalId
			  AND c.session_token IS DISTINCT FROM :token AND c.summary ->> 'text' IS NOT NULL
			ORDER BY c.created_at DESC
			LIMIT :limit
			""";

	/** Signed-in users' conversations idle since their last message, not yet summarised through it. */
	private static final String IDLE = """
			SELECT c.id, c.workspace_id, last.at AS last_message_at
			FROM conversations c
			CROSS JOIN LATERAL (SELECT max(m.created_at) AS at FROM messages m WHERE m.conversation_id = c.id) last
			WHERE c.end_user_id IS NOT NULL AND last.at < now() - make_interval(secs => :idleSeconds)
			  AND (c.summary ->> 'through' IS NULL OR (c.summary ->> 'through')::timestamptz < last.at)
			ORDER BY last.at
			LIMIT :limit
			""";

	private static final String TRANSCRIPT = """
			SELECT role, content FROM messages
			WHERE conversation_id = :conversationId AND role IN ('user', 'assistant')
			ORDER BY created_at DESC, role DESC LIMIT :limit
			""";

	/** Kept only if no message came meanwhile (then the conversation is summarised again later). */
	private static final String WRITE_SUMMARY = """
			UPDATE conversations c
			SET summary = jsonb_build_object('text', CAST(:text AS text), 'by', CAST(:by AS text), 'through', :through)
			WHERE c.id = :conversationId
			  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.created_at > :through)
			""";

	private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(?)";

	private static final String UNLOCK = "SELECT pg_advisory_unlock(?)";

	private final JdbcClient jdbc;

	private final DataSource dataSource;

	MemoryRepository(JdbcClient jdbc, DataSource dataSource) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
	}

	/**
	 * Runs {@code work} unless another replica holds {@code lock}: a session advisory lock held by
	 * a connection of its own for the run, not a transaction (the work may wait on an LLM).
	 * Returns false when another replica was at it.
	 */
	boolean exclusively(long lock, Runnable work) throws SQLException {
		try (Connection holder = this.dataSource.getConnection()) {
			if (!lockCall(holder, TRY_LOCK, lock)) {
				return false;
			}
			try {
				work.run();
			}
			finally {
				lockCall(holder, UNLOCK, lock);
			}
			return true;
		}
	}

	private static boolean lockCall(Connection connection, String sql, long lock) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setLong(1, lock);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	record Idle(UUID conversationId, UUID workspaceId, OffsetDateTime lastMessageAt) {
	}

	List<Turn> recentTurns(UUID workspaceId, String externalId, int limit) {
		List<Turn> turns = new ArrayList<>(this.jdbc.sql(RECENT_TURNS)
			.param("workspaceId", workspaceId)
			.param("externalId", externalId)
			.param("limit", limit)
			.query((row, i) -> new Turn(row.getString("role"), row.getString("content")))
			.list());
		Collections.reverse(turns);
		return turns;
	}

	String profile(UUID workspaceId, String externalId) {
		return this.jdbc.sql(PROFILE)
			.param("workspaceId", workspaceId)
			.param("externalId", externalId)
			.query(String.class)
			.optional()
			.filter(json -> !"{}".equals(json))
			.orElse(null);
	}

	List<VisitorMemory.Summary> summaries(UUID workspaceId, String externalId, String currentToken, int limit) {
		return this.jdbc.sql(SUMMARIES)
			.param("workspaceId", workspaceId)
			.param("externalId", externalId)
			.param("token", currentToken)
			.param("limit", limit)
			.query((row, i) -> new VisitorMemory.Summary(row.getString("day"), row.getString("text")))
			.list();
	}

	List<Idle> idle(long idleSeconds, int limit) {
		return this.jdbc.sql(IDLE)
			.param("idleSeconds", idleSeconds)
			.param("limit", limit)
			.query((row, i) -> new Idle(row.getObject("id", UUID.class), row.getObject("workspace_id", UUID.class),
					row.getObject("last_message_at", OffsetDateTime.class)))
			.list();
	}

	/** The conversation's last {@code limit} messages, oldest first. */
	List<Turn> transcript(UUID conversationId, int limit) {
		List<Turn> turns = new ArrayList<>(this.jdbc.sql(TRANSCRIPT)
			.param("conversationId", conversationId)
			.param("limit", limit)
			.query((row, i) -> new Turn(row.getString("role"), row.getString("content")))
			.list());
		Collections.reverse(turns);
		return turns;
	}

	boolean writeSummary(UUID conversationId, String text, String by, OffsetDateTime through) {
		return this.jdbc.sql(WRITE_SUMMARY)
			.param("conversationId", conversationId)
			.param("text", text)
			.param("by", by)
			.param("through", through)
			.update() == 1;
	}

}
