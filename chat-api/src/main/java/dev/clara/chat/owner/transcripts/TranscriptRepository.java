package dev.clara.chat.owner.transcripts;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.pgvector.PGvector;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Transcripts and the pairs proposed from them, as the owner uploads and reviews them. Every
 * method runs inside {@code OwnerDb.as}: row-level security leaves only the owner's workspace.
 */
@Repository
class TranscriptRepository {

	private static final String SEARCH_MODEL = "SELECT COALESCE(w.search_model, :deploymentModel) FROM workspaces w";

	private static final String INSERT_TRANSCRIPT = """
			INSERT INTO transcripts (id, workspace_id, title, format, content, extracted_by, exchange_count, created_by)
			VALUES (:id, :workspaceId, :title, :format, :content, :by, :exchanges, (SELECT auth.uid()))
			""";

	private static final String COUNTS = """
			UPDATE transcripts SET suggested_count = :suggested, covered_count = :covered, merged_count = :merged
			WHERE id = :id
			""";

	private static final String TRANSCRIPT_COLUMNS = """
			id, title, format, extracted_by, exchange_count, suggested_count, covered_count, merged_count, created_at
			""";

	private static final String TRANSCRIPTS = "SELECT " + TRANSCRIPT_COLUMNS
			+ " FROM transcripts ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset";

	private static final String ONE_TRANSCRIPT = "SELECT " + TRANSCRIPT_COLUMNS + " FROM transcripts WHERE id = :id";

	private static final String COUNT_TRANSCRIPTS = "SELECT count(*) FROM transcripts";

	// the best active pair at or above the model's overlap threshold (search_qa_pairs keeps what is above)
	private static final String COVERING = """
			SELECT s.id, s.question, s.similarity
			FROM embedding_models m,
			     LATERAL search_qa_pairs(:workspaceId, :embedding, m.transcript_overlap_threshold - 1e-9, 1, m.id) s
			WHERE m.id = :model
			""";

	// a pending suggestion of the same model whose question is near-identical; locked, as it gains a source
	private static final String MERGE_TARGET = """
			SELECT s.id FROM transcript_suggestions s JOIN embedding_models m ON m.id = s.embedding_model
			WHERE s.embedding_model = :model AND s.status IN ('suggested', 'covered')
			  AND 1 - (s.embedding OPERATOR(extensions.<=>) CAST(:embedding AS extensions.vector)) >= m.near_duplicate_threshold
			ORDER BY s.embedding OPERATOR(extensions.<=>) CAST(:embedding AS extensions.vector), s.id
			LIMIT 1
			FOR UPDATE OF s
			""";

	private static final String ADD_SOURCE = "UPDATE transcript_suggestions SET sources = sources + 1 WHERE id = :id";

	private static final String INSERT_SUGGESTION = """
			INSERT INTO transcript_suggestions (id, workspace_id, transcript_id, question, answer, status,
			                                    covered_by_qa_id, covered_similarity, embedding, embedding_model)
			VALUES (:id, :workspaceId, :transcriptId, :question, :answer, :status, :coveredBy, :similarity,
			        CAST(:embedding AS extensions.vector), :model)
			""";

	private static final String SUGGESTION_COLUMNS = """
			SELECT s.id, s.transcript_id, t.title AS transcript_title, s.question, s.answer, s.status, s.sources,
			       s.covered_by_qa_id, p.question AS covered_by_question, s.covered_similarity, s.accepted_qa_id,
			       s.created_at, s.decided_at
			FROM transcript_suggestions s
			JOIN transcripts t ON t.id = s.transcript_id AND t.workspace_id = s.workspace_id
			LEFT JOIN qa_pairs p ON p.id = s.covered_by_qa_id AND p.workspace_id = s.workspace_id
			""";

	private static final String SUGGESTIONS = SUGGESTION_COLUMNS + """
			WHERE (CAST(:status AS text) IS NULL OR s.status = :status)
			ORDER BY s.sources DESC, s.created_at DESC, s.id
			LIMIT :limit OFFSET :offset
			""";

	private static final String COUNT_SUGGESTIONS = """
			SELECT count(*) FROM transcript_suggestions WHERE (CAST(:status AS text) IS NULL OR status = :status)
			""";

	private static final String SOME_SUGGESTIONS = SUGGESTION_COLUMNS
			+ " WHERE s.id = ANY(CAST(:ids AS uuid[])) ORDER BY array_position(CAST(:ids AS uuid[]), s.id)";

	private static final String ONE_SUGGESTION = SUGGESTION_COLUMNS + " WHERE s.id = :id";

	// locks the suggestion so that two decisions on it queue up and the second sees the first
	private static final String LOCK = "SELECT id FROM transcript_suggestions WHERE id = :id FOR UPDATE";

	private static final String DECIDE = """
			UPDATE transcript_suggestions SET status = :status, accepted_qa_id = :pair, decided_at = now()
			WHERE id = :id AND status IN ('suggested', 'covered')
			""";

	record Transcript(UUID id, String title, String format, String extractedBy, int exchangeCount,
			int suggestedCount, int coveredCount, int mergedCount, OffsetDateTime createdAt) {
	}

	/** What an upload stores before its suggestions. */
	record NewTranscript(UUID id, String title, String format, String content, String extractedBy, int exchanges) {
	}

	/** The pair that already answers a question, and how similar their questions are. */
	record Covering(UUID qaPairId, String question, double similarity) {
	}

	/** The existing pair a suggestion is covered by, or null. */
	record CoveredBy(UUID qaPairId, String question, Double similarity) {
	}

	record Suggestion(UUID id, UUID transcriptId, String transcriptTitle, String question, String answer,
			String status, int sources, CoveredBy coveredBy, UUID acceptedQaId, OffsetDateTime createdAt,
			OffsetDateTime decidedAt) {
	}

	private static final RowMapper<Transcript> TRANSCRIPT = (row, i) -> new Transcript(row.getObject("id", UUID.class),
			row.getString("title"), row.getString("format"), row.getString("extracted_by"), row.getInt("exchange_count"),
			row.getInt("suggested_count"), row.getInt("covered_count"), row.getInt("merged_count"),
			row.getObject("created_at", OffsetDateTime.class));

	private static final RowMapper<Suggestion> SUGGESTION = (row, i) -> {
		UUID covering = row.getObject("covered_by_qa_id", UUID.class);
		Double similarity = row.getObject("covered_similarity", Double.class);
		return new Suggestion(row.getObject("id", UUID.class), row.getObject("transcript_id", UUID.class),
				row.getString("transcript_title"), row.getString("question"), row.getString("answer"),
				row.getString("status"), row.getInt("sources"),
				(covering == null && similarity == null) ? null
						: new CoveredBy(covering, row.getString("covered_by_question"), similarity),
				row.getObject("accepted_qa_id", UUID.class), row.getObject("created_at", OffsetDateTime.class),
				row.getObject("decided_at", OffsetDateTime.class));
	};

	/** The model the workspace's search uses: its own choice, else {@code deploymentModel}. */
	String searchModel(JdbcClient sql, String deploymentModel) {
		return sql.sql(SEARCH_MODEL).param("deploymentModel", deploymentModel).query(String.class).single();
	}

	void insert(JdbcClient sql, UUID workspaceId, NewTranscript transcript) {
		sql.sql(INSERT_TRANSCRIPT)
			.param("id", transcript.id())
			.param("workspaceId", workspaceId)
			.param("title", transcript.title())
			.param("format", transcript.format())
			.param("content", transcript.content())
			.param("by", transcript.extractedBy())
			.param("exchanges", transcript.exchanges())
			.update();
	}

	void counts(JdbcClient sql, UUID id, int suggested, int covered, int merged) {
		sql.sql(COUNTS).param("id", id).param("suggested", suggested).param("covered", covered)
			.param("merged", merged).update();
	}

	List<Transcript> transcripts(JdbcClient sql, int limit, long offset) {
		return sql.sql(TRANSCRIPTS).param("limit", limit).param("offset", offset).query(TRANSCRIPT).list();
	}

	long countTranscripts(JdbcClient sql) {
		return sql.sql(COUNT_TRANSCRIPTS).query(Long.class).single();
	}

	Optional<Transcript> transcript(JdbcClient sql, UUID id) {
		return sql.sql(ONE_TRANSCRIPT).param("id", id).query(TRANSCRIPT).optional();
	}

	Optional<Covering> covering(JdbcClient sql, UUID workspaceId, float[] vector, String model) {
		return sql.sql(COVERING)
			.param("workspaceId", workspaceId)
			.param("embedding", new PGvector(vector))
			.param("model", model)
			.query((row, i) -> new Covering(row.getObject("id", UUID.class), row.getString("question"),
					row.getDouble("similarity")))
			.optional();
	}

	Optional<UUID> mergeTarget(JdbcClient sql, float[] vector, String model) {
		return sql.sql(MERGE_TARGET)
			.param("embedding", new PGvector(vector))
			.param("model", model)
			.query(UUID.class)
			.optional();
	}

	void addSource(JdbcClient sql, UUID id) {
		sql.sql(ADD_SOURCE).param("id", id).update();
	}

	/** @param covering the pair that already answers it, or null (then it is {@code suggested}) */
	void insertSuggestion(JdbcClient sql, UUID id, UUID workspaceId, UUID transcriptId, TranscriptParser.Exchange pair,
			Covering covering, float[] vector, String model) {
		sql.sql(INSERT_SUGGESTION)
			.param("id", id)
			.param("workspaceId", workspaceId)
			.param("transcriptId", transcriptId)
			.param("question", pair.question())
			.param("answer", pair.answer())
			.param("status", covering == null ? "suggested" : "covered")
			.param("coveredBy", covering == null ? null : covering.qaPairId())
			.param("similarity", covering == null ? null : Math.round(covering.similarity() * 10000) / 10000.0)
			.param("embedding", vector == null ? null : new PGvector(vector))
			.param("model", vector == null ? null : model)
			.update();
	}

	/** @param status a status, or null for all */
	List<Suggestion> suggestions(JdbcClient sql, String status, int limit, long offset) {
		return sql.sql(SUGGESTIONS).param("status", status).param("limit", limit).param("offset", offset)
			.query(SUGGESTION).list();
	}

	long countSuggestions(JdbcClient sql, String status) {
		return sql.sql(COUNT_SUGGESTIONS).param("status", status).query(Long.class).single();
	}

	/** These suggestions, in this order. */
	List<Suggestion> suggestions(JdbcClient sql, List<UUID> ids) {
		return sql.sql(SOME_SUGGESTIONS).param("ids", ids.stream().map(UUID::toString).collect(java.util.stream.Collectors.joining(",", "{", "}"))).query(SUGGESTION).list();
	}

	/** The suggestion, locked when {@code lock}; empty for an unknown id or another workspace's. */
	Optional<Suggestion> suggestion(JdbcClient sql, UUID id, boolean lock) {
		if (lock && sql.sql(LOCK).param("id", id).query(UUID.class).optional().isEmpty()) {
			return Optional.empty();
		}
		return sql.sql(ONE_SUGGESTION).param("id", id).query(SUGGESTION).optional();
	}

	/** Decides a pending suggestion; false when it was already decided. */
	boolean decide(JdbcClient sql, UUID id, String status, UUID acceptedPair) {
		return sql.sql(DECIDE).param("id", id).param("status", status).param("pair", acceptedPair).update() == 1;
	}

}
