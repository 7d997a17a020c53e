package dev.clara.gaps;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.clara.gaps.GapRepository.OpenGap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of {@link QuestionBatches}: what the one-event path asks once per event
 * ({@link GapRepository}), asked once per poll for all its events.
 */
@Repository
class QuestionBatchRepository {

	private static final String PROCESSED_AMONG = """
			SELECT event_id FROM processed_events WHERE consumer = :consumer AND event_id = ANY(:ids)
			""";

	/** The claim of every event of the batch; RETURNING names those this transaction claimed. */
	private static final String CLAIM = """
			INSERT INTO processed_events (consumer, event_id)
			SELECT :consumer, id FROM unnest(CAST(:ids AS uuid[])) AS ids(id)
			ON CONFLICT DO NOTHING
			RETURNING event_id
			""";

	/**
	 * For each asked question (by its position, 1-based), its normalised text (V6's dedup key) and
	 * whether the open gap of that text already has a vector of the model (then no embedding).
	 */
	private static final String ASKED = """
			SELECT a.n, public.normalize_question(a.question) AS normalized,
			       EXISTS (SELECT 1 FROM qa_gaps g
			               WHERE g.workspace_id = a.workspace_id AND g.status = 'open'
			                 AND public.normalize_question(g.question) = public.normalize_question(a.question)
			                 AND g.question_embedding IS NOT NULL AND g.embedding_model = :model) AS has_vector
			FROM unnest(CAST(:workspaces AS uuid[]), CAST(:questions AS text[])) WITH ORDINALITY AS a(workspace_id, question, n)
			ORDER BY a.n
			""";

	/**
	 * For each asked question (by its position, 1-based), its normalised text and the open gap of
	 * that text in its workspace, if any: {@code GapRepository}'s OPEN_GAP for a whole batch.
	 */
	private static final String OPEN_GAPS = """
			SELECT a.n, public.normalize_question(a.question) AS normalized, g.id, g.last_asked_at,
			       (g.question_embedding IS NOT NULL AND g.embedding_model = :model) AS has_vector
			FROM unnest(CAST(:workspaces AS uuid[]), CAST(:questions AS text[])) WITH ORDINALITY AS a(workspace_id, question, n)
			LEFT JOIN qa_gaps g ON g.workspace_id = a.workspace_id AND g.status = 'open'
			                   AND public.normalize_question(g.question) = public.normalize_question(a.question)
			ORDER BY a.n
			""";

	/**
	 * The workspaces' locks of {@code GapRepository.lockWorkspace}, taken in one order (the keys
	 * sorted) by every batch, so two batches that share workspaces wait for each other instead of
	 * deadlocking.
	 */
	private static final String LOCK_WORKSPACES = """
			SELECT pg_advisory_xact_lock(k.key)
			FROM (SELECT DISTINCT hashtextextended('clara.qa_gaps:' || CAST(w AS text), 0) AS key
			      FROM unnest(CAST(:workspaces AS uuid[])) AS w ORDER BY 1) k
			""";

	/** A question of the batch: its dedup key, and whether its open gap has a vector already. */
	record Asked(String normalized, boolean hasVector) {
	}

	private final JdbcClient jdbc;

	QuestionBatchRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Set<UUID> processedAmong(String consumer, Collection<UUID> eventIds) {
		return new HashSet<>(this.jdbc.sql(PROCESSED_AMONG)
			.param("consumer", consumer)
			.param("ids", eventIds.toArray(UUID[]::new))
			.query(UUID.class)
			.list());
	}

	/** Claims the events; returns those claimed here (the others were applied before). */
	Set<UUID> claim(String consumer, Collection<UUID> eventIds) {
		return new HashSet<>(this.jdbc.sql(CLAIM)
			.param("consumer", consumer)
			.param("ids", eventIds.toArray(UUID[]::new))
			.query(UUID.class)
			.list());
	}

	/** One {@link Asked} per question, in order. */
	List<Asked> asked(List<UUID> workspaces, List<String> questions, String model) {
		return this.jdbc.sql(ASKED)
			.param("workspaces", workspaces.toArray(UUID[]::new))
			.param("questions", questions.toArray(String[]::new))
			.param("model", model)
			.query((rs, n) -> new Asked(rs.getString("normalized"), rs.getBoolean("has_vector")))
			.list();
	}

	/** A question of the batch: its dedup key, and the open gap of that key when the batch began. */
	record OpenAsk(String normalized, Optional<OpenGap> open) {
	}

	/** Each question's {@link OpenAsk}, in order; read under the workspaces' locks. */
	List<OpenAsk> openGaps(List<UUID> workspaces, List<String> questions, String model) {
		return this.jdbc.sql(OPEN_GAPS)
			.param("workspaces", workspaces.toArray(UUID[]::new))
			.param("questions", questions.toArray(String[]::new))
			.param("model", model)
			.query((rs, n) -> {
				UUID id = rs.getObject("id", UUID.class);
				return new OpenAsk(rs.getString("normalized"), id == null ? Optional.empty() : Optional.of(new OpenGap(id,
						rs.getObject("last_asked_at", OffsetDateTime.class).toInstant(), rs.getBoolean("has_vector"))));
			})
			.list();
	}

	/** Until the transaction ends, other writers of these workspaces' gaps wait. */
	void lockWorkspaces(Collection<UUID> workspaces) {
		this.jdbc.sql(LOCK_WORKSPACES)
			.param("workspaces", workspaces.toArray(UUID[]::new))
			.query((rs, n) -> null)
			.list();
	}

}
