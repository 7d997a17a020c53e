package dev.clara.embedding;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.clara.shared.embedding.Vectors;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.EventEnvelope;
import dev.clara.shared.events.QaPairEmbedded;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the pairs that need a vector and writes vectors back, guarded so that a vector of old
 * text never overwrites newer text and writing never moves {@code updated_at} (the schema's
 * trigger ignores the embedding columns).
 */
@Repository
class PairEmbeddings {

	/** A pair's id and the question text its vector must be made of. */
	record Pending(UUID id, String question) {
	}

	private static final String STILL_PENDING = """
			SELECT id, question FROM qa_pairs
			WHERE id = ANY(:ids) AND is_active
			  AND (embedding IS NULL OR embedding_model IS DISTINCT FROM :model OR embedded_at < updated_at)
			""";

	private static final String BACKFILL_PAGE = """
			SELECT id, question FROM qa_pairs
			WHERE is_active
			  AND (embedding IS NULL OR embedding_model IS DISTINCT FROM :model OR embedded_at < updated_at)
			  AND (:first OR id > :after)
			ORDER BY id
			LIMIT :limit
			""";

	private static final String COUNT_PENDING = """
			SELECT count(*) FROM qa_pairs
			WHERE is_active AND (embedding IS NULL OR embedding_model IS DISTINCT FROM :model OR embedded_at < updated_at)
			""";

	private static final String WRITE = """
			UPDATE qa_pairs
			SET embedding = CAST(:embedding AS extensions.vector), embedding_model = :model, embedded_at = now()
			WHERE id = :id AND question = :question AND is_active
			RETURNING workspace_id, embedded_at
			""";

	private static final String INSERT_OUTBOX = """
			INSERT INTO outbox_events (id, workspace_id, aggregate_type, aggregate_id, event_type, event_version, payload)
			VALUES (:id, :workspaceId, 'qa_pair', :aggregateId, :eventType, :eventVersion, CAST(:payload AS jsonb))
			""";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final EventCodec events;

	PairEmbeddings(JdbcClient jdbc, TransactionTemplate transactions, EventCodec events) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.events = events;
	}

	/** Of these pairs, the ones that still lack a current vector, with their text now. */
	List<Pending> stillPending(Collection<UUID> ids, String model) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql(STILL_PENDING)
			.param("ids", ids.toArray(UUID[]::new))
			.param("model", model)
			.query((row, i) -> new Pending(row.getObject("id", UUID.class), row.getString("question")))
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
			.query((row, i) -> new Pending(row.getObject("id", UUID.class), row.getString("question")))
			.list();
	}

	long countPending(String model) {
		return this.jdbc.sql(COUNT_PENDING).param("model", model).query(Long.class).single();
	}

	/**
	 * Writes each vector if its row still holds the text it was made of, and announces each written
	 * vector with a {@code QaPairEmbedded} outbox row in the same transaction. Returns how many
	 * vectors were written.
	 */
	int write(List<Pending> pairs, List<float[]> vectors, String model) {
		return this.transactions.execute(status -> {
			int written = 0;
			for (int i = 0; i < pairs.size(); i++) {
				Pending pair = pairs.get(i);
				Optional<Written> row = this.jdbc.sql(WRITE)
					.param("embedding", Vectors.toPgVectorLiteral(vectors.get(i)))
					.param("model", model)
					.param("id", pair.id())
					.param("question", pair.question())
					.query((rs, n) -> new Written(rs.getObject("workspace_id", UUID.class),
							rs.getObject("embedded_at", OffsetDateTime.class).toInstant()))
					.optional();
				if (row.isPresent()) {
					written++;
					announce(pair, model, row.get());
				}
			}
			return written;
		});
	}

	private record Written(UUID workspaceId, Instant embeddedAt) {
	}

	private void announce(Pending pair, String model, Written row) {
		EventEnvelope<QaPairEmbedded> event = EventCodec.envelope(row.workspaceId(), row.embeddedAt(),
				new QaPairEmbedded(pair.id(), pair.question(), model, row.embeddedAt()));
		this.jdbc.sql(INSERT_OUTBOX)
			.param("id", event.eventId())
			.param("workspaceId", row.workspaceId())
			.param("aggregateId", pair.id().toString())
			.param("eventType", event.eventType())
			.param("eventVersion", event.eventVersion())
			.param("payload", this.events.toJson(event))
			.update();
	}

}
