package dev.clara.gaps;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.gaps.Clinc150GapData.Item;
import dev.clara.outbox.GapEvents;
import dev.clara.outbox.OutboxWriter;
import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.events.EventCodec;
import dev.clara.shared.events.QuestionAsked;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The evaluation's side of the database, written the way the product writes it: workspaces of
 * their own per run, pairs with their vectors as the embedding worker leaves them, questions
 * searched as the chat searches them, and the gap detector's own {@link Gaps} on top.
 */
final class Clinc150GapDatabase {

	/** A question as the chat saw it: best match and similarity in the base knowledge base. */
	record Asked(Item item, UUID bestMatch, double similarity) {
	}

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final EmbeddingProvider provider;

	private final String model;

	Clinc150GapDatabase(JdbcClient jdbc, TransactionTemplate transactions, EmbeddingProvider provider, String model) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.provider = provider;
		this.model = model;
	}

	/** The model's confidence threshold (embedding_models), below which the chat flags a gap. */
	double confidenceThreshold() {
		return this.jdbc.sql("SELECT confidence_threshold FROM embedding_models WHERE id = :m")
			.param("m", this.model)
			.query(Double.class)
			.single();
	}

	/** The model's gap grouping threshold (embedding_models), the detector's default. */
	double groupingThreshold() {
		return this.jdbc.sql("SELECT gap_grouping_threshold FROM embedding_models WHERE id = :m")
			.param("m", this.model)
			.query(Double.class)
			.single();
	}

	Gaps gaps(GapProperties properties) {
		return new Gaps(this.transactions, new GapRepository(this.jdbc), new GapDecisions(new DecisionRepository(this.jdbc)),
				new GapEvents(this.jdbc, new OutboxWriter(this.jdbc, new EventCodec())), new GapEmbeddings(this.provider),
				properties, new SimpleMeterRegistry());
	}

	dev.clara.shared.events.EventEnvelope<QuestionAsked> questionAsked(UUID workspace, Asked question,
			double threshold) {
		Instant now = Instant.now();
		return EventCodec.envelope(workspace, now,
				new QuestionAsked(UUID.randomUUID(), UUID.randomUUID(), question.item().text(), "I don't know.",
						question.bestMatch(), question.similarity(), threshold,
						question.similarity() < threshold, this.model, now));
	}

	List<Asked> ask(UUID workspace, List<Item> questions) {
		List<Asked> asked = new ArrayList<>();
		for (Item item : questions) {
			asked.add(this.jdbc.sql("""
					SELECT id, similarity FROM search_qa_pairs(:ws, CAST(:v AS extensions.vector), -1, 1, :model)
					""")
				.param("ws", workspace)
				.param("v", new PGvector(this.provider.embed(item.text())))
				.param("model", this.model)
				.query((rs, n) -> new Asked(item, rs.getObject("id", UUID.class), rs.getDouble("similarity")))
				.optional()
				.orElse(new Asked(item, null, 0)));
		}
		return asked;
	}

	/** Each gap's group ({@code group_id}, or the gap itself when it leads its own). */
	Map<UUID, UUID> groups(UUID workspace) {
		Map<UUID, UUID> groups = new HashMap<>();
		this.jdbc.sql("SELECT id, coalesce(group_id, id) AS g FROM qa_gaps WHERE workspace_id = :ws")
			.param("ws", workspace)
			.query((rs, n) -> groups.put(rs.getObject("id", UUID.class), rs.getObject("g", UUID.class)))
			.list();
		return groups;
	}

	/** A new owner's workspace searching with the model; a null threshold keeps the model's. */
	UUID workspace(Double confidenceThreshold) {
		UUID owner = UUID.randomUUID();
		this.jdbc.sql("INSERT INTO auth.users (id, email) VALUES (:id, :email)")
			.param("id", owner)
			.param("email", owner + "@clinc150.test")
			.update();
		UUID workspace = this.jdbc.sql("SELECT id FROM workspaces WHERE owner_id = :owner")
			.param("owner", owner)
			.query(UUID.class)
			.single();
		this.jdbc.sql("""
				UPDATE workspaces SET search_model = :model,
				       settings = jsonb_set(settings, '{confidence_threshold}', CAST(:threshold AS jsonb))
				WHERE id = :ws
				""")
			.param("model", this.model)
			.param("threshold", confidenceThreshold == null ? "null" : confidenceThreshold.toString())
			.param("ws", workspace)
			.update();
		return workspace;
	}

	/** Inserts pairs with their vectors, as the embedding worker leaves them; returns id -> intent. */
	Map<UUID, String> insertPairs(UUID workspace, List<Item> items) {
		Map<UUID, String> ids = new LinkedHashMap<>();
		for (Item item : items) {
			UUID id = this.jdbc.sql("""
					INSERT INTO qa_pairs (workspace_id, question, answer, category, embedding, embedding_model, embedded_at)
					VALUES (:ws, :q, :a, 'clinc150', CAST(:v AS extensions.vector), :model, now()) RETURNING id
					""")
				.param("ws", workspace)
				.param("q", item.text())
				.param("a", "Answer about " + item.intent())
				.param("v", new PGvector(this.provider.embed(item.text())))
				.param("model", this.model)
				.query(UUID.class)
				.single();
			ids.put(id, item.intent());
		}
		return ids;
	}

	/** Embeds every distinct text up front, in batches of 256, with progress (the provider caches the vectors). */
	void embedAll(List<Item> kb, List<Item> questions, List<Item> fixes) {
		List<String> texts = new ArrayList<>(new LinkedHashSet<>(
				java.util.stream.Stream.of(kb, questions, fixes).flatMap(List::stream).map(Item::text).toList()));
		long started = System.nanoTime();
		for (int from = 0; from < texts.size(); from += 256) {
			this.provider.embedAll(texts.subList(from, Math.min(texts.size(), from + 256)));
			System.out.printf("embedded %d/%d%n", Math.min(texts.size(), from + 256), texts.size());
		}
		System.out.printf("embedding took %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());
	}

}
