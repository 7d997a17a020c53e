package dev.clara.embedding;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.QaPairEmbedded;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the pairs that need a vector of the deployment's model and writes vectors back, guarded
 * so that a vector of old text never overwrites newer text. Writing never moves
 * {@code updated_at} (the schema's trigger ignores the embedding columns).
 *
 * <p>A workspace whose search still uses another model ({@code workspaces.search_model}) keeps its
 * vectors: the new model's are staged beside them, and the workspace moves over in one
 * transaction once every active pair and every serving document chunk has one ({@link #cutOver}).
 */
@Repository
class PairEmbeddings {

	/** A pair's id and the question text its vector must be made of. */
	record Pending(UUID id, UUID workspaceId, String question, boolean staged) {
	}

	/** Whether a pair lacks a vector of {@code :model} made of its current question. */
	private static final String NEEDS_VECTOR = """
			qp.is_active AND CASE
			  WHEN w.search_model IS NULL OR w.search_model = :model
			    THEN qp.embedding IS NULL OR qp.embedding_model IS DISTINCT FROM :model OR qp.embedded_at < qp.updated_at
			  ELSE NOT EXISTS (SELECT 1 FROM qa_pair_staged_embeddings s
			                   WHERE s.qa_pair_id = qp.id AND s.embedding_model = :model AND s.question = qp.question)
			END
			""";

	private static final String PENDING_COLUMNS = """
			SELECT qp.id, qp.workspace_id, qp.question,
			       (w.search_model IS NOT NULL AND w.search_model <> :model) AS staged
			FROM qa_pairs qp JOIN workspaces w ON w.id = qp.workspace_id
			""";

	private static final String STILL_PENDING = PENDING_COLUMNS + "WHERE qp.id = ANY(:ids) AND " + NEEDS_VECTOR;

	private static final String BACKFILL_PAGE = PENDING_COLUMNS + """
			WHERE (:first OR qp.id > :after) AND
			""" + NEEDS_VECTOR + """
			ORDER BY qp.id
			LIMIT :limit
			""";

	private static final String COUNT_PENDING = """
			SELECT count(*) FROM qa_pairs qp JOIN workspaces w ON w.id = qp.workspace_id WHERE
			""" + NEEDS_VECTOR;

	private static final String WRITE = """
			UPDATE qa_pairs
			SET embedding = CAST(:embedding AS extensions.vector), embedding_model = :model, embedded_at = now()
			WHERE id = :id AND question = :question AND is_active
			RETURNING workspace_id, embedded_at
			""";

	private static final String ADOPT_MODEL = """
			UPDATE workspaces SET search_model = :model WHERE id = :workspaceId AND search_model IS NULL
			""";

	private static final String STAGE = """
			INSERT INTO qa_pair_staged_embeddings (qa_pair_id, workspace_id, embedding_model, embedding, question)
			SELECT id, workspace_id, :model, CAST(:embedding AS extensions.vector), question
			FROM qa_pairs WHERE id = :id AND question = :question AND is_active
			ON CONFLICT (qa_pair_id, embedding_model) DO UPDATE
			SET embedding = EXCLUDED.embedding, question = EXCLUDED.question, embedded_at = now()
			""";

	private static final String LOCK_SWITCHING_WORKSPACE = """
			SELECT id FROM workspaces WHERE id = :workspaceId AND search_model IS DISTINCT FROM :model FOR UPDATE
			""";

	/** Pairs and serving document chunks without a staged vector: the workspace may move only when none is left. */
	private static final String COUNT_UNSTAGED = """
			SELECT (SELECT count(*) FROM qa_pairs qp
			        WHERE qp.workspace_id = :workspaceId AND qp.is_active
			          AND NOT EXISTS (SELECT 1 FROM qa_pair_staged_embeddings s
			                          WHERE s.qa_pair_id = qp.id AND s.embedding_model = :model AND s.question = qp.question))
			     + (SELECT count(*) FROM document_chunks c
			        JOIN documents d ON d.id = c.document_id AND c.document_version = d.serving_version
			        WHERE c.workspace_id = :workspaceId
			          AND NOT EXISTS (SELECT 1 FROM document_chunk_staged_embeddings s
			                          WHERE s.chunk_id = c.id AND s.embedding_model = :model))
			""";

	private static final String COPY_STAGED_CHUNKS = """
			UPDATE document_chunks c
			SET embedding = s.embedding, embedding_model = s.embedding_model, embedded_at = now()
			FROM document_chunk_staged_embeddings s
			WHERE s.chunk_id = c.id AND s.embedding_model = :model AND c.workspace_id = :workspaceId
			""";

	private static final String DROP_STAGED_CHUNKS = "DELETE FROM document_chunk_staged_embeddings WHERE workspace_id = :workspaceId";

	private static final String COPY_STAGED = """
			UPDATE qa_pairs qp
			SET embedding = s.embedding, embedding_model = s.embedding_model, embedded_at = now()
			FROM qa_pair_staged_embeddings s
			WHERE s.qa_pair_id = qp.id AND s.embedding_model = :model AND s.question = qp.question
			  AND qp.workspace_id = :workspaceId AND qp.is_active
			""";

	private static final String SWITCH_MODEL = "UPDATE workspaces SET search_model = :model WHERE id = :workspaceId";

	private static final String DROP_STAGED = "DELETE FROM qa_pair_staged_embeddings WHERE workspace_id = :workspaceId";

	private static final String SWITCHING_WORKSPACES = """
			SELECT id FROM workspaces WHERE search_model IS NOT NULL AND search_model <> :model
			""";

	/** The aggregate of a vector's event in the outbox: the pair that got it. */
	private static final String QA_PAIR = "qa_pair";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final OutboxWriter outbox;

	private final EmbeddingUsageRepository usage;

	PairEmbeddings(JdbcClient jdbc, TransactionTemplate transactions, OutboxWriter outbox, EmbeddingUsageRepository usage) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.outbox = outbox;
		this.usage = usage;
	}

	/** Of these pairs, the ones that still lack a current vector, with their text now. */
	List<Pending> stillPending(Collection<UUID> ids, String model) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql(STILL_PENDING)
			.param("ids", ids.toArray(UUID[]::new))
			.param("model", model)
			.query((row, i) -> pending(row))
			.list();
	}

	/** Which of these workspaces exist. */
	Set<UUID> existingWorkspaces(Set<UUID> ids) {
		if (ids.isEmpty()) {
			return Set.of();
		}
		return Set.copyOf(this.jdbc.sql("SELECT id FROM workspaces WHERE id = ANY(:ids)")
			.param("ids", ids.toArray(UUID[]::new))
			.query(UUID.class)
			.list());
	}

	/** The next page of pending pairs in id order, after {@code after} (null for the first page). */
	List<Pending> backfillPage(String model, UUID after, int limit) {
		return this.jdbc.sql(BACKFILL_PAGE)
			.param("model", model)
			.param("first", after == null)
			.param("after", after == null ? new UUID(0, 0) : after)
			.param("limit", limit)
			.query((row, i) -> pending(row))
			.list();
	}

	long countPending(String model) {
		return this.jdbc.sql(COUNT_PENDING).param("model", model).query(Long.class).single();
	}

	List<UUID> switchingWorkspaces(String model) {
		return this.jdbc.sql(SWITCHING_WORKSPACES).param("model", model).query(UUID.class).list();
	}

	private static Pending pending(java.sql.ResultSet row) throws java.sql.SQLException {
		return new Pending(row.getObject("id", UUID.class), row.getObject("workspace_id", UUID.class),
				row.getString("question"), row.getBoolean("staged"));
	}

	/**
	 * Writes each vector if its row still holds the text it was made of: into the pair itself, with
	 * a {@code QaPairEmbedded} outbox row in the same transaction, or into the staging table for a
	 * workspace that is switching models (whose cut-over is then attempted). Returns how many
	 * vectors were written.
	 *
	 * <p>The tokens billed per workspace are recorded in {@code api_usage} in the same transaction
	 * as the vectors, so they count once: a redelivered change finds its pair embedded and calls no
	 * provider, and a crash before the commit records neither. Tokens of vectors discarded because
	 * the text changed meanwhile were billed all the same, so they are recorded too.
	 */
	int write(List<Pending> pairs, List<float[]> vectors, String model, Map<UUID, Long> tokens) {
		Set<UUID> switching = new LinkedHashSet<>();
		int written = this.transactions.execute(status -> {
			tokens.forEach((workspace, billed) -> this.usage.record(workspace, model, billed));
			int count = 0;
			for (int i = 0; i < pairs.size(); i++) {
				Pending pair = pairs.get(i);
				PGvector vector = new PGvector(vectors.get(i));
				if (pair.staged()) {
					count += this.jdbc.sql(STAGE)
						.param("model", model)
						.param("embedding", vector)
						.param("id", pair.id())
						.param("question", pair.question())
						.update();
					switching.add(pair.workspaceId());
					continue;
				}
				Optional<Written> row = this.jdbc.sql(WRITE)
					.param("embedding", vector)
					.param("model", model)
					.param("id", pair.id())
					.param("question", pair.question())
					.query((rs, n) -> new Written(rs.getObject("workspace_id", UUID.class),
							rs.getObject("embedded_at", OffsetDateTime.class).toInstant()))
					.optional();
				if (row.isPresent()) {
					count++;
					this.jdbc.sql(ADOPT_MODEL).param("model", model).param("workspaceId", row.get().workspaceId()).update();
					announce(pair, model, row.get());
				}
			}
			return count;
		});
		switching.forEach(workspace -> cutOver(workspace, model));
		return written;
	}

	/**
	 * Moves a switching workspace to {@code model} if every active pair has a staged vector of its
	 * current text: vectors, search model and thresholds change in one transaction, so the search
	 * never mixes models. Returns whether the workspace now searches with {@code model}.
	 */
	boolean cutOver(UUID workspaceId, String model) {
		return Boolean.TRUE.equals(this.transactions.execute(status -> {
			if (this.jdbc.sql(LOCK_SWITCHING_WORKSPACE)
				.param("workspaceId", workspaceId)
				.param("model", model)
				.query(UUID.class)
				.optional()
				.isEmpty()) {
				return true;
			}
			long unstaged = this.jdbc.sql(COUNT_UNSTAGED)
				.param("workspaceId", workspaceId)
				.param("model", model)
				.query(Long.class)
				.single();
			if (unstaged > 0) {
				return false;
			}
			this.jdbc.sql(COPY_STAGED).param("workspaceId", workspaceId).param("model", model).update();
			this.jdbc.sql(COPY_STAGED_CHUNKS).param("workspaceId", workspaceId).param("model", model).update();
			this.jdbc.sql(SWITCH_MODEL).param("workspaceId", workspaceId).param("model", model).update();
			this.jdbc.sql(DROP_STAGED).param("workspaceId", workspaceId).update();
			this.jdbc.sql(DROP_STAGED_CHUNKS).param("workspaceId", workspaceId).update();
			return true;
		}));
	}

	private record Written(UUID workspaceId, Instant embeddedAt) {
	}

	private void announce(Pending pair, String model, Written row) {
		EventEnvelope<QaPairEmbedded> event = EventCodec.envelope(row.workspaceId(), row.embeddedAt(),
				new QaPairEmbedded(pair.id(), pair.question(), model, row.embeddedAt()));
		this.outbox.append(event, QA_PAIR, pair.id().toString());
	}

}
