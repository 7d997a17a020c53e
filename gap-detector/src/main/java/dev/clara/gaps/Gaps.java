package dev.clara.gaps;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.clara.shared.embedding.EmbeddingException;
import dev.clara.shared.embedding.Vectors;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.GapDetected;
import dev.clara.shared.events.InvalidEventException;
import dev.clara.shared.events.QaPairEmbedded;
import dev.clara.shared.events.QuestionAsked;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The gap detector's whole effect on the database, one transaction per event:
 *
 * <ul>
 * <li>{@link #recordQuestion}: a question Clara could not answer becomes an open gap, or asks
 * the open gap of the same (normalised) question again; a new gap joins the group of the most
 * similar open gaps when it is close enough, and is resolved at once when a Q&A pair embedded
 * since the question was asked already answers it;</li>
 * <li>{@link #closeAnswered}: a Q&A pair that got its vector resolves every open gap of its
 * workspace that the chat would now answer with it.</li>
 * </ul>
 *
 * <p>Each event is applied once: its id goes into {@code processed_events} first, in the same
 * transaction, so a redelivered event finds it there and changes nothing. Every change analysts
 * should see writes a {@code GapDetected} outbox row in that transaction too. Writers of one
 * workspace's gaps take a transaction-scoped advisory lock on the workspace, so that grouping and
 * re-scoring see each other's gaps even when replicas overlap during a rebalance; the unique
 * index on open questions is what makes a doubled gap impossible.
 */
@Component
public class Gaps {

	private static final Logger log = LoggerFactory.getLogger(Gaps.class);

	/** What {@link #recordQuestion} did. */
	public enum Result {

		/** The question was answered confidently: nothing to do. */
		NOT_A_GAP,
		/** This event id was applied before: nothing changed. */
		ALREADY_PROCESSED,
		/** The workspace no longer exists (deleted since): nothing to do. */
		UNKNOWN_WORKSPACE,
		/** A new gap row. */
		OPENED,
		/** The open gap of the same question was asked again. */
		ASKED_AGAIN

	}

	/**
	 * @param gapId the gap row (null unless opened or asked again)
	 * @param groupId its group ({@code gapId} when it leads one)
	 * @param joinedGroup whether a new gap joined an existing group
	 * @param resolvedAtOnce whether a new gap was already answered by a pair embedded since
	 * @param published whether a {@code GapDetected} event was written
	 */
	public record Recorded(Result result, UUID gapId, UUID groupId, boolean joinedGroup, boolean resolvedAtOnce,
			boolean published) {

		static Recorded of(Result result) {
			return new Recorded(result, null, null, false, false, false);
		}

	}

	/** Gaps {@link #closeAnswered} resolved (empty when the event was seen before or did nothing). */
	public record Closed(boolean alreadyProcessed, List<UUID> gapIds) {
	}

	private static final String MARK_PROCESSED = """
			INSERT INTO processed_events (consumer, event_id) VALUES (:consumer, :eventId) ON CONFLICT DO NOTHING
			""";

	private static final String THRESHOLDS = """
			SELECT CASE WHEN jsonb_typeof(w.settings -> 'confidence_threshold') = 'number'
			            THEN (w.settings ->> 'confidence_threshold')::double precision END AS workspace_threshold,
			       m.confidence_threshold AS model_threshold, m.gap_grouping_threshold
			FROM workspaces w LEFT JOIN embedding_models m ON m.id = :model
			WHERE w.id = :workspaceId
			""";

	private static final String LOCK_WORKSPACE = """
			SELECT pg_advisory_xact_lock(hashtextextended('clara.qa_gaps:' || CAST(:workspaceId AS text), 0))
			""";

	private static final String OPEN_GAP = """
			SELECT id, last_asked_at,
			       (question_embedding IS NOT NULL AND embedding_model = :model) AS has_vector
			FROM qa_gaps
			WHERE workspace_id = :workspaceId AND status = 'open'
			  AND public.normalize_question(question) = public.normalize_question(:question)
			""";

	/*
	 * The query vector is cast once in a CTE: written inline, a generic plan of the prepared
	 * statement would parse the vector's text again for every row it is compared with.
	 */
	private static final String OPEN_WITH_VECTOR = """
			WHERE g.workspace_id = :workspaceId AND g.status = 'open' AND g.embedding_model = :model
			  AND g.question_embedding IS NOT NULL
			""";

	private static final String QUERY_VECTOR = """
			WITH query AS MATERIALIZED (SELECT CAST(:vector AS extensions.vector) AS v)
			""";

	private static final String NEAREST_GROUP = QUERY_VECTOR + """
			SELECT coalesce(g.group_id, g.id) AS group_id,
			       1 - (g.question_embedding OPERATOR(extensions.<=>) q.v) AS similarity
			FROM qa_gaps g CROSS JOIN query q
			""" + OPEN_WITH_VECTOR + """
			ORDER BY similarity DESC, group_id
			LIMIT 1
			""";

	private static final String CENTROID_GROUP = QUERY_VECTOR + """
			SELECT c.group_id, 1 - (c.centroid OPERATOR(extensions.<=>) q.v) AS similarity
			FROM (SELECT coalesce(g.group_id, g.id) AS group_id, extensions.avg(g.question_embedding) AS centroid
			      FROM qa_gaps g
			""" + OPEN_WITH_VECTOR + """
			      GROUP BY 1) c CROSS JOIN query q
			ORDER BY similarity DESC, group_id
			LIMIT 1
			""";

	private static final String AVERAGE_GROUP = QUERY_VECTOR + """
			SELECT coalesce(g.group_id, g.id) AS group_id,
			       avg(1 - (g.question_embedding OPERATOR(extensions.<=>) q.v)) AS similarity
			FROM qa_gaps g CROSS JOIN query q
			""" + OPEN_WITH_VECTOR + """
			GROUP BY 1
			ORDER BY similarity DESC, group_id
			LIMIT 1
			""";

	private static final String GAP_COLUMNS = """
			id, coalesce(group_id, id) AS group_id, question, ask_count, best_match_id, similarity_score, session_id,
			status, resolved_qa_id, resolved_automatically, last_asked_at
			""";

	/**
	 * The dedup rule of V6: an open gap of the same normalised question is asked again instead. A
	 * gap recorded without a vector (the provider failed) gets one from a later ask.
	 */
	private static final String UPSERT = """
			INSERT INTO qa_gaps (id, workspace_id, question, ai_answer, best_match_id, similarity_score, session_id,
			                     last_asked_at, group_id, question_embedding, embedding_model)
			VALUES (:id, :workspaceId, :question, :answer,
			        (SELECT p.id FROM qa_pairs p WHERE p.id = :bestMatchId AND p.workspace_id = :workspaceId),
			        :similarity,
			        (SELECT c.id FROM conversations c WHERE c.id = :conversationId AND c.workspace_id = :workspaceId),
			        :askedAt, :groupId, CAST(:vector AS extensions.vector), :model)
			ON CONFLICT (workspace_id, public.normalize_question(question)) WHERE status = 'open'
			DO UPDATE SET ask_count = qa_gaps.ask_count + 1,
			              last_asked_at = greatest(qa_gaps.last_asked_at, EXCLUDED.last_asked_at),
			              question_embedding = coalesce(qa_gaps.question_embedding, EXCLUDED.question_embedding),
			              embedding_model = CASE WHEN qa_gaps.question_embedding IS NULL
			                                     THEN EXCLUDED.embedding_model ELSE qa_gaps.embedding_model END
			RETURNING (xmax = 0) AS inserted,
			""" + GAP_COLUMNS;

	private static final String BEST_ANSWER = """
			SELECT s.id, s.similarity
			FROM search_qa_pairs(:workspaceId, CAST(:vector AS extensions.vector), -1, 1, :model) s
			""";

	private static final String RESOLVE = """
			UPDATE qa_gaps SET status = 'resolved', resolved_qa_id = :pairId, resolved_automatically = true
			WHERE id = :id AND status = 'open'
			RETURNING
			""" + GAP_COLUMNS;

	private static final String PAIR = """
			SELECT workspace_id, embedding_model,
			       (is_active AND embedding IS NOT NULL AND embedded_at >= updated_at) AS usable
			FROM qa_pairs WHERE id = :pairId
			""";

	private static final String OPEN_WITHOUT_VECTOR = """
			SELECT id, question FROM qa_gaps
			WHERE workspace_id = :workspaceId AND status = 'open'
			  AND (question_embedding IS NULL OR embedding_model IS DISTINCT FROM :model)
			ORDER BY id
			""";

	private static final String SET_VECTOR = """
			UPDATE qa_gaps SET question_embedding = CAST(:vector AS extensions.vector), embedding_model = :model
			WHERE id = :id
			""";

	/**
	 * Open gaps the pair answers at the threshold, of which the chat's search would now pick this
	 * very pair first (so a pair that is close but not the best answer closes nothing). A gap the
	 * owner reopened after this pair had closed it is left alone.
	 */
	private static final String ANSWERED_BY_PAIR = """
			SELECT g.id
			FROM qa_gaps g JOIN qa_pairs p ON p.id = :pairId
			CROSS JOIN LATERAL search_qa_pairs(g.workspace_id, g.question_embedding, -1, 1, :model) best
			WHERE g.workspace_id = :workspaceId AND g.status = 'open' AND g.embedding_model = :model
			  AND g.question_embedding IS NOT NULL
			  AND g.resolved_qa_id IS DISTINCT FROM :pairId
			  AND 1 - (g.question_embedding OPERATOR(extensions.<=>) p.embedding) >= :threshold
			  AND best.id = :pairId
			ORDER BY g.id
			""";

	private static final String INSERT_OUTBOX = """
			INSERT INTO outbox_events (id, workspace_id, aggregate_type, aggregate_id, event_type, event_version,
			                           payload, occurred_at)
			VALUES (:id, :workspaceId, 'qa_gap', :aggregateId, :eventType, :eventVersion, CAST(:payload AS jsonb),
			        :occurredAt)
			""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final EventCodec events;

	private final GapEmbeddings embeddings;

	private final GapProperties properties;

	private final Counter opened;

	private final Counter askedAgain;

	private final Counter grouped;

	private final Counter resolvedAutomatically;

	private final Counter published;

	private final Counter unembedded;

	private final Counter redelivered;

	Gaps(JdbcClient jdbc, TransactionTemplate transactions, EventCodec events, GapEmbeddings embeddings,
			GapProperties properties, MeterRegistry meters) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.events = events;
		this.embeddings = embeddings;
		this.properties = properties;
		this.opened = Counter.builder("clara.gaps.opened").description("new gap rows").register(meters);
		this.askedAgain = Counter.builder("clara.gaps.asked.again")
			.description("asks of an open gap of the same question")
			.register(meters);
		this.grouped = Counter.builder("clara.gaps.grouped")
			.description("new gaps that joined an existing group")
			.register(meters);
		this.resolvedAutomatically = Counter.builder("clara.gaps.resolved.automatically")
			.description("gaps a Q&A pair answered")
			.register(meters);
		this.published = Counter.builder("clara.gaps.events").description("GapDetected outbox rows").register(meters);
		this.unembedded = Counter.builder("clara.gaps.unembedded")
			.description("gaps stored without a vector because the provider failed")
			.register(meters);
		this.redelivered = Counter.builder("clara.gaps.redelivered")
			.description("events applied before, skipped")
			.register(meters);
	}

	GapProperties properties() {
		return this.properties;
	}

	/** Applies one {@code QuestionAsked} event (see the class comment). */
	public Recorded recordQuestion(EventEnvelope<QuestionAsked> event) {
		QuestionAsked asked = event.payload();
		if (!asked.gapDetected()) {
			return Recorded.of(Result.NOT_A_GAP);
		}
		if (asked.question().isBlank()) {
			throw new InvalidEventException("QuestionAsked " + event.eventId() + " has a blank question");
		}
		UUID workspaceId = event.workspaceId();
		String model = this.embeddings.deploymentModel();
		// embedding is the slow part: before the transaction, and only when the gap needs a vector
		boolean embedEarly = openGap(workspaceId, asked.question(), model).filter(OpenGap::hasVector).isEmpty();
		float[] early = embedEarly ? tryEmbed(asked.question()) : null;
		return this.transactions.execute(status -> {
			if (!markProcessed(event.eventId())) {
				this.redelivered.increment();
				return Recorded.of(Result.ALREADY_PROCESSED);
			}
			Optional<Thresholds> thresholds = thresholds(workspaceId, model);
			if (thresholds.isEmpty()) {
				log.debug("QuestionAsked {} of workspace {} that no longer exists: skipped", event.eventId(),
						workspaceId);
				return Recorded.of(Result.UNKNOWN_WORKSPACE);
			}
			lockWorkspace(workspaceId);
			Optional<OpenGap> existing = openGap(workspaceId, asked.question(), model);
			float[] vector = early;
			if (!embedEarly && existing.filter(OpenGap::hasVector).isEmpty()) {
				vector = tryEmbed(asked.question()); // rare: the open gap was closed meanwhile
			}
			UUID id = UUID.randomUUID();
			Optional<GroupMatch> group = (existing.isEmpty() && vector != null)
					? closestGroup(workspaceId, model, vector)
						.filter(match -> match.similarity() >= groupingThreshold(model, thresholds.get()))
					: Optional.empty();
			GapRow row = this.jdbc.sql(UPSERT)
				.param("id", id)
				.param("workspaceId", workspaceId)
				.param("question", asked.question())
				.param("answer", asked.answer())
				.param("bestMatchId", asked.bestMatchId())
				.param("similarity", asked.similarity())
				.param("conversationId", asked.conversationId())
				.param("askedAt", utc(asked.askedAt()))
				.param("groupId", group.map(GroupMatch::groupId).orElse(id))
				.param("vector", vector == null ? null : Vectors.toPgVectorLiteral(vector))
				.param("model", vector == null ? null : model)
				.query((rs, n) -> GapRow.of(rs))
				.single();
			if (!row.inserted()) {
				this.askedAgain.increment();
				boolean update = existing.isPresent()
						&& interval(existing.get().lastAskedAt()) < interval(row.lastAskedAt());
				if (update) {
					publish(workspaceId, row);
				}
				return new Recorded(Result.ASKED_AGAIN, row.id(), row.groupId(), false, false, update);
			}
			this.opened.increment();
			group.ifPresent(match -> this.grouped.increment());
			Optional<GapRow> resolved = (vector == null) ? Optional.empty()
					: bestAnswer(workspaceId, model, vector, closeThreshold(model, thresholds.get()))
						.flatMap(pairId -> resolve(row.id(), pairId));
			publish(workspaceId, resolved.orElse(row));
			return new Recorded(Result.OPENED, row.id(), row.groupId(), group.isPresent(), resolved.isPresent(),
					true);
		});
	}

	/** Applies one {@code QaPairEmbedded} event (see the class comment). */
	public Closed closeAnswered(EventEnvelope<QaPairEmbedded> event) {
		UUID pairId = event.payload().qaPairId();
		return this.transactions.execute(status -> {
			if (!markProcessed(event.eventId())) {
				this.redelivered.increment();
				return new Closed(true, List.of());
			}
			Optional<Pair> pair = this.jdbc.sql(PAIR)
				.param("pairId", pairId)
				.query((rs, n) -> new Pair(rs.getObject("workspace_id", UUID.class), rs.getString("embedding_model"),
						rs.getBoolean("usable")))
				.optional();
			if (pair.isEmpty() || !pair.get().usable() || !pair.get().workspaceId().equals(event.workspaceId())) {
				// deleted, deactivated or edited since: a later event carries its current vector, if any
				return new Closed(false, List.of());
			}
			UUID workspaceId = pair.get().workspaceId();
			String model = pair.get().model();
			Optional<Thresholds> thresholds = thresholds(workspaceId, model);
			if (thresholds.isEmpty()) {
				return new Closed(false, List.of());
			}
			lockWorkspace(workspaceId);
			embedOpenGaps(workspaceId, model);
			List<UUID> answered = this.jdbc.sql(ANSWERED_BY_PAIR)
				.param("pairId", pairId)
				.param("workspaceId", workspaceId)
				.param("model", model)
				.param("threshold", closeThreshold(model, thresholds.get()))
				.query(UUID.class)
				.list();
			List<UUID> closed = new ArrayList<>();
			for (UUID gapId : answered) {
				resolve(gapId, pairId).ifPresent(row -> {
					publish(workspaceId, row);
					closed.add(row.id());
				});
			}
			return new Closed(false, closed);
		});
	}

	/** Open gaps without a vector of {@code model} get one, if this service can make it. */
	private void embedOpenGaps(UUID workspaceId, String model) {
		if (!this.embeddings.canEmbedWith(model)) {
			log.warn("cannot embed gap questions with {}: gaps of workspace {} without such a vector are not re-scored",
					model, workspaceId);
			return;
		}
		List<UUID> ids = new ArrayList<>();
		List<String> questions = new ArrayList<>();
		this.jdbc.sql(OPEN_WITHOUT_VECTOR)
			.param("workspaceId", workspaceId)
			.param("model", model)
			.query((rs, n) -> {
				ids.add(rs.getObject("id", UUID.class));
				questions.add(rs.getString("question"));
				return null;
			})
			.list();
		if (ids.isEmpty()) {
			return;
		}
		List<float[]> vectors = this.embeddings.embedAll(model, questions);
		for (int i = 0; i < ids.size(); i++) {
			this.jdbc.sql(SET_VECTOR)
				.param("vector", Vectors.toPgVectorLiteral(vectors.get(i)))
				.param("model", model)
				.param("id", ids.get(i))
				.update();
		}
	}

	private boolean markProcessed(UUID eventId) {
		return this.jdbc.sql(MARK_PROCESSED)
			.param("consumer", this.properties.consumer())
			.param("eventId", eventId)
			.update() == 1;
	}

	private void lockWorkspace(UUID workspaceId) {
		this.jdbc.sql(LOCK_WORKSPACE).param("workspaceId", workspaceId).query((rs, n) -> null).list();
	}

	private Optional<Thresholds> thresholds(UUID workspaceId, String model) {
		return this.jdbc.sql(THRESHOLDS).param("workspaceId", workspaceId).param("model", model).query((rs, n) -> {
			double modelThreshold = rs.getDouble("model_threshold");
			if (rs.wasNull()) {
				throw new IllegalStateException("embedding model " + model + " is not in embedding_models");
			}
			double grouping = rs.getDouble("gap_grouping_threshold");
			double own = rs.getDouble("workspace_threshold");
			return new Thresholds(rs.wasNull() ? modelThreshold : own, grouping);
		}).optional();
	}

	private double groupingThreshold(String model, Thresholds thresholds) {
		Double configured = this.properties.groupingThreshold(model);
		return configured != null ? configured : thresholds.grouping();
	}

	private double closeThreshold(String model, Thresholds thresholds) {
		return this.properties.autoCloseThreshold(model, thresholds.confidence());
	}

	private Optional<OpenGap> openGap(UUID workspaceId, String question, String model) {
		return this.jdbc.sql(OPEN_GAP)
			.param("workspaceId", workspaceId)
			.param("question", question)
			.param("model", model)
			.query((rs, n) -> new OpenGap(rs.getObject("id", UUID.class),
					rs.getObject("last_asked_at", OffsetDateTime.class).toInstant(), rs.getBoolean("has_vector")))
			.optional();
	}

	private Optional<GroupMatch> closestGroup(UUID workspaceId, String model, float[] vector) {
		String sql = switch (this.properties.linkage()) {
			case NEAREST -> NEAREST_GROUP;
			case CENTROID -> CENTROID_GROUP;
			case AVERAGE -> AVERAGE_GROUP;
		};
		return this.jdbc.sql(sql)
			.param("workspaceId", workspaceId)
			.param("model", model)
			.param("vector", Vectors.toPgVectorLiteral(vector))
			.query((rs, n) -> new GroupMatch(rs.getObject("group_id", UUID.class), rs.getDouble("similarity")))
			.optional();
	}

	/** The pair the chat would answer this question with now, if it clears the threshold. */
	private Optional<UUID> bestAnswer(UUID workspaceId, String model, float[] vector, double threshold) {
		return this.jdbc.sql(BEST_ANSWER)
			.param("workspaceId", workspaceId)
			.param("vector", Vectors.toPgVectorLiteral(vector))
			.param("model", model)
			.query((rs, n) -> rs.getDouble("similarity") >= threshold ? rs.getObject("id", UUID.class) : null)
			.optional();
	}

	private Optional<GapRow> resolve(UUID gapId, UUID pairId) {
		Optional<GapRow> row = this.jdbc.sql(RESOLVE)
			.param("pairId", pairId)
			.param("id", gapId)
			.query((rs, n) -> GapRow.of(rs))
			.optional();
		row.ifPresent(r -> this.resolvedAutomatically.increment());
		return row;
	}

	private long interval(Instant instant) {
		return Math.floorDiv(instant.toEpochMilli(), this.properties.countUpdateInterval().toMillis());
	}

	/** Writes the gap's {@code GapDetected} event to the outbox, in the caller's transaction. */
	private void publish(UUID workspaceId, GapRow row) {
		Instant now = Instant.now();
		EventEnvelope<GapDetected> event = EventCodec.envelope(workspaceId, now, row.event());
		this.jdbc.sql(INSERT_OUTBOX)
			.param("id", event.eventId())
			.param("workspaceId", workspaceId)
			.param("aggregateId", row.id().toString())
			.param("eventType", event.eventType())
			.param("eventVersion", event.eventVersion())
			.param("payload", this.events.toJson(event))
			.param("occurredAt", utc(now))
			.update();
		this.published.increment();
	}

	private float[] tryEmbed(String question) {
		try {
			return this.embeddings.embed(question);
		}
		catch (EmbeddingException ex) {
			// a gap without a vector is still a gap: it is stored ungrouped, and gets its vector later
			this.unembedded.increment();
			log.warn("embedding a gap question failed ({}); the gap is stored without a vector", ex.getMessage());
			return null;
		}
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private record Thresholds(double confidence, double grouping) {
	}

	private record OpenGap(UUID id, Instant lastAskedAt, boolean hasVector) {
	}

	private record GroupMatch(UUID groupId, double similarity) {
	}

	private record Pair(UUID workspaceId, String model, boolean usable) {
	}

	/** A {@code qa_gaps} row as {@code GAP_COLUMNS} returns it. */
	record GapRow(boolean inserted, UUID id, UUID groupId, String question, int askCount, UUID bestMatchId,
			double similarity, UUID conversationId, String status, UUID resolvedQaId, boolean resolvedAutomatically,
			Instant lastAskedAt) {

		static GapRow of(ResultSet rs) throws SQLException {
			boolean inserted = hasColumn(rs, "inserted") && rs.getBoolean("inserted");
			return new GapRow(inserted, rs.getObject("id", UUID.class), rs.getObject("group_id", UUID.class),
					rs.getString("question"), rs.getInt("ask_count"), rs.getObject("best_match_id", UUID.class),
					rs.getDouble("similarity_score"), rs.getObject("session_id", UUID.class), rs.getString("status"),
					rs.getObject("resolved_qa_id", UUID.class), rs.getBoolean("resolved_automatically"),
					rs.getObject("last_asked_at", OffsetDateTime.class).toInstant());
		}

		GapDetected event() {
			return new GapDetected(this.id, this.groupId, this.question, this.askCount, this.bestMatchId,
					this.similarity, this.conversationId, this.status, this.resolvedQaId, this.resolvedAutomatically,
					this.lastAskedAt);
		}

		private static boolean hasColumn(ResultSet rs, String name) throws SQLException {
			var meta = rs.getMetaData();
			for (int i = 1; i <= meta.getColumnCount(); i++) {
				if (name.equals(meta.getColumnLabel(i))) {
					return true;
				}
			}
			return false;
		}

	}

}
