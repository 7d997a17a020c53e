package dev.clara.chat.owner.phrasing;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Visitors' phrasings offered by their thumbs-up, as the owner reviews them. Every method runs
 * inside {@code OwnerDb.as}: row-level security leaves only the owner's workspace.
 */
@Repository
class PhrasingSuggestionRepository {

	private static final String COLUMNS = """
			s.id, s.qa_pair_id, s.phrasing, s.status, s.accepted_qa_id, s.created_at, s.decided_at,
			s.source_conversation_id, s.source_message_id, p.question AS pair_question, p.answer AS pair_answer,
			p.category AS pair_category
			""";

	private static final String LIST = "SELECT " + COLUMNS + """
			FROM phrasing_suggestions s JOIN qa_pairs p ON p.id = s.qa_pair_id AND p.workspace_id = s.workspace_id
			WHERE s.status = 'open'
			ORDER BY s.created_at DESC, s.id
			LIMIT :limit OFFSET :offset
			""";

	private static final String COUNT = "SELECT count(*) FROM phrasing_suggestions WHERE status = 'open'";

	private static final String ONE = "SELECT " + COLUMNS + """
			FROM phrasing_suggestions s JOIN qa_pairs p ON p.id = s.qa_pair_id AND p.workspace_id = s.workspace_id
			WHERE s.id = :id
			""";

	// locks the suggestion so that two decisions on it queue up and the second sees the first
	private static final String LOCK = "SELECT id FROM phrasing_suggestions WHERE id = :id FOR UPDATE";

	private static final String DECIDE = """
			UPDATE phrasing_suggestions SET status = :status, accepted_qa_id = :pair, decided_at = now()
			WHERE id = :id AND status = 'open'
			""";

	/** A suggestion with the pair it is for (its question, answer and category). */
	record Suggestion(UUID id, UUID qaPairId, String phrasing, String status, UUID acceptedQaId,
			OffsetDateTime createdAt, OffsetDateTime decidedAt, UUID sourceConversationId, UUID sourceMessageId,
			String pairQuestion, String pairAnswer, String pairCategory) {
	}

	private static final RowMapper<Suggestion> ROW = (row, i) -> new Suggestion(row.getObject("id", UUID.class),
			row.getObject("qa_pair_id", UUID.class), row.getString("phrasing"), row.getString("status"),
			row.getObject("accepted_qa_id", UUID.class), row.getObject("created_at", OffsetDateTime.class),
			row.getObject("decided_at", OffsetDateTime.class), row.getObject("source_conversation_id", UUID.class),
			row.getObject("source_message_id", UUID.class), row.getString("pair_question"),
			row.getString("pair_answer"), row.getString("pair_category"));

	List<Suggestion> open(JdbcClient sql, int limit, long offset) {
		return sql.sql(LIST).param("limit", limit).param("offset", offset).query(ROW).list();
	}

	long countOpen(JdbcClient sql) {
		return sql.sql(COUNT).query(Long.class).single();
	}

	/** The suggestion, locked when {@code lock}; empty for an unknown id or another workspace's. */
	Optional<Suggestion> find(JdbcClient sql, UUID id, boolean lock) {
		if (lock && sql.sql(LOCK).param("id", id).query(UUID.class).optional().isEmpty()) {
			return Optional.empty();
		}
		return sql.sql(ONE).param("id", id).query(ROW).optional();
	}

	/** Decides an open suggestion; false when it was no longer open. */
	boolean decide(JdbcClient sql, UUID id, String status, UUID acceptedPair) {
		return sql.sql(DECIDE).param("id", id).param("status", status).param("pair", acceptedPair).update() == 1;
	}

}
