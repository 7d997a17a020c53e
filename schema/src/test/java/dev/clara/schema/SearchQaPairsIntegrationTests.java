package dev.clara.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.pgvector.PGvector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.clara.schema.SchemaTestDatabase.actAs;
import static dev.clara.schema.SchemaTestDatabase.count;
import static dev.clara.schema.SchemaTestDatabase.createUser;
import static dev.clara.schema.SchemaTestDatabase.execute;
import static dev.clara.schema.SchemaTestDatabase.inRolledBackTransaction;
import static dev.clara.schema.SchemaTestDatabase.single;
import static dev.clara.schema.SchemaTestDatabase.sqlStateOf;
import static dev.clara.schema.SchemaTestDatabase.update;
import static dev.clara.schema.SchemaTestDatabase.workspaceOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * search_qa_pairs: only the workspace's active rows embedded by the requested model, by
 * similarity, honouring threshold and count; the model-aware embedding columns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchQaPairsIntegrationTests {

	static final String MINILM = "all-minilm-l6-v2-q";

	static final String BGE = "bge-small-en-v1.5-q";

	static final String OPENAI = "text-embedding-3-small";

	private SchemaTestDatabase db;

	private Connection connection;

	private UUID owner;

	private UUID workspace;

	private UUID otherOwner;

	private UUID otherWorkspace;

	private int nextAxis = 1;

	@BeforeAll
	void setUp() throws SQLException {
		this.db = SchemaTestDatabase.migrated("schema_search");
		this.connection = this.db.connect();
		PGvector.addVectorType(this.connection);
		this.owner = createUser(this.connection, "search@example.test");
		this.workspace = workspaceOf(this.connection, this.owner);
		this.otherOwner = createUser(this.connection, "search-other@example.test");
		this.otherWorkspace = workspaceOf(this.connection, this.otherOwner);

		for (double similarity : new double[] { 0.6, 0.95, 0.4, 0.8, 0.9, 0.7 }) {
			pair(this.workspace, "active " + similarity, similarity, MINILM, true);
		}
		pair(this.workspace, "inactive 0.99", 0.99, MINILM, false);
		update(this.connection, "INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (?, 'not embedded yet', 'a')", this.workspace);
		pair(this.workspace, "bge 0.98", 0.98, BGE, true);
		pair(this.workspace, "openai 0.97", 0.97, OPENAI, true);
		pair(this.otherWorkspace, "other tenant 0.99", 0.99, MINILM, true);
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.connection.close();
		this.db.close();
	}

	/** A unit vector whose cosine similarity to {@link #query(int)} is exactly {@code similarity}. */
	private PGvector vector(int dimensions, double similarity) {
		float[] v = new float[dimensions];
		v[0] = (float) similarity;
		v[this.nextAxis++] = (float) Math.sqrt(1 - similarity * similarity);
		return new PGvector(v);
	}

	private static PGvector query(int dimensions) {
		float[] v = new float[dimensions];
		v[0] = 1;
		return new PGvector(v);
	}

	private void pair(UUID ws, String question, double similarity, String model, boolean active) throws SQLException {
		int dimensions = OPENAI.equals(model) ? 1536 : 384;
		update(this.connection, """
				INSERT INTO qa_pairs (workspace_id, question, answer, embedding, embedding_model, embedded_at, is_active)
				VALUES (?, ?, 'answer', ?, ?, now(), ?)""", ws, question, vector(dimensions, similarity), model, active);
	}

	record Hit(String question, double similarity) {
	}

	private static List<Hit> search(Connection c, UUID ws, PGvector query, Double threshold, Integer count, String model)
			throws SQLException {
		StringBuilder sql = new StringBuilder("SELECT question, similarity, id, answer, category FROM search_qa_pairs(?, ?");
		List<Object> params = new ArrayList<>(List.of(ws, query));
		if (threshold != null) {
			sql.append(", match_threshold => ?");
			params.add(threshold);
		}
		if (count != null) {
			sql.append(", match_count => ?");
			params.add(count);
		}
		if (model != null) {
			sql.append(", p_model => ?");
			params.add(model);
		}
		sql.append(")");
		List<Hit> hits = new ArrayList<>();
		try (PreparedStatement statement = c.prepareStatement(sql.toString())) {
			for (int i = 0; i < params.size(); i++) {
				statement.setObject(i + 1, params.get(i));
			}
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					hits.add(new Hit(rs.getString(1), Math.round(rs.getDouble(2) * 1e4) / 1e4));
				}
			}
		}
		return hits;
	}

	@Test
	void returnsTheWorkspacesActiveEmbeddedRowsOfTheModelBySimilarity() throws SQLException {
		assertThat(search(this.connection, this.workspace, query(384), null, null, MINILM)).containsExactly(
				new Hit("active 0.95", 0.95), new Hit("active 0.9", 0.9), new Hit("active 0.8", 0.8),
				new Hit("active 0.7", 0.7), new Hit("active 0.6", 0.6));
	}

	@Test
	void honoursThresholdAndCount() throws SQLException {
		assertThat(search(this.connection, this.workspace, query(384), 0.75, null, MINILM))
			.extracting(Hit::question)
			.containsExactly("active 0.95", "active 0.9", "active 0.8");
		assertThat(search(this.connection, this.workspace, query(384), null, 2, MINILM))
			.extracting(Hit::question)
			.containsExactly("active 0.95", "active 0.9");
		assertThat(search(this.connection, this.workspace, query(384), 0.0, 50, MINILM)).hasSize(6);
		assertThat(search(this.connection, this.workspace, query(384), 0.96, null, MINILM)).isEmpty();
		assertThat(search(this.connection, this.workspace, query(384), null, 0, MINILM)).isEmpty();
	}

	@Test
	void searchesTheRequestedModelsVectorsOnly() throws SQLException {
		assertThat(search(this.connection, this.workspace, query(384), null, null, BGE))
			.containsExactly(new Hit("bge 0.98", 0.98));
		// without p_model: the deployment's default model, bge-small-en-v1.5-q
		assertThat(search(this.connection, this.workspace, query(384), null, null, null))
			.containsExactly(new Hit("bge 0.98", 0.98));
		assertThat(search(this.connection, this.workspace, query(1536), null, null, OPENAI))
			.containsExactly(new Hit("openai 0.97", 0.97));
		assertThat(sqlStateOf(this.connection, () -> search(this.connection, this.workspace, query(1536), null, null, MINILM)))
			.isEqualTo("22000");
		assertThat(sqlStateOf(this.connection, () -> search(this.connection, this.workspace, query(384), null, null, "no-such-model")))
			.isEqualTo("22023");
	}

	@Test
	void rowLevelSecurityAppliesToTheCaller() throws SQLException {
		inRolledBackTransaction(this.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.owner);
			assertThat(search(c, this.workspace, query(384), null, null, MINILM)).hasSize(5).first()
				.isEqualTo(new Hit("active 0.95", 0.95));
			assertThat(search(c, this.otherWorkspace, query(384), 0.0, null, MINILM)).isEmpty();
			return null;
		});
		inRolledBackTransaction(this.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.otherOwner);
			assertThat(search(c, this.workspace, query(384), 0.0, null, MINILM)).isEmpty();
			assertThat(search(c, this.otherWorkspace, query(384), null, null, MINILM))
				.containsExactly(new Hit("other tenant 0.99", 0.99));
			return null;
		});
		inRolledBackTransaction(this.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.ANON, null);
			assertThat(sqlStateOf(c, () -> search(c, this.workspace, query(384), null, null, MINILM))).isEqualTo("42501");
			return null;
		});
		inRolledBackTransaction(this.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.SERVICE_ROLE, null);
			assertThat(search(c, this.workspace, query(384), null, null, MINILM)).hasSize(5);
			return null;
		});
	}

	@Test
	void theModelsPartialHnswIndexCanServeTheSearch() throws SQLException {
		long before = indexScans("idx_qa_pairs_embedding_all_minilm_l6_v2_q");
		List<Hit> hits = inRolledBackTransaction(this.connection, (c) -> {
			// Make every alternative to an ordered index scan look expensive.
			execute(c, "SET LOCAL enable_seqscan = off");
			execute(c, "SET LOCAL enable_bitmapscan = off");
			execute(c, "SET LOCAL enable_sort = off");
			List<Hit> result = search(c, this.workspace, query(384), null, null, MINILM);
			single(c, "SELECT pg_stat_force_next_flush()");
			return result;
		});
		assertThat(hits).extracting(Hit::question)
			.containsExactly("active 0.95", "active 0.9", "active 0.8", "active 0.7", "active 0.6");
		assertThat(indexScans("idx_qa_pairs_embedding_all_minilm_l6_v2_q")).isGreaterThan(before);
	}

	private long indexScans(String index) throws SQLException {
		single(this.connection, "SELECT pg_stat_force_next_flush()");
		single(this.connection, "SELECT pg_stat_clear_snapshot()");
		return count(this.connection, "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = ?", index);
	}

	@Test
	void embeddingColumnsAreAllSetOrAllNullAndMatchTheModelsDimension() throws SQLException {
		Connection c = this.connection;
		String insert = "INSERT INTO qa_pairs (workspace_id, question, answer, embedding, embedding_model, embedded_at) VALUES (?, 'x', 'y', ?, ?, ?)";
		java.sql.Timestamp now = new java.sql.Timestamp(System.currentTimeMillis());
		assertThat(sqlStateOf(c, () -> update(c, insert, this.workspace, vector(384, 0.5), null, now))).isEqualTo("23514");
		assertThat(sqlStateOf(c, () -> update(c, insert, this.workspace, vector(384, 0.5), MINILM, null))).isEqualTo("23514");
		assertThat(sqlStateOf(c, () -> update(c, insert, this.workspace, null, MINILM, now))).isEqualTo("23514");
		assertThat(sqlStateOf(c, () -> update(c, insert, this.workspace, vector(1536, 0.5), MINILM, now))).isEqualTo("23514");
		assertThat(sqlStateOf(c, () -> update(c, insert, this.workspace, vector(384, 0.5), OPENAI, now))).isEqualTo("23514");
		assertThat(sqlStateOf(c, () -> update(c, insert, this.workspace, new PGvector(new float[8]), "no-such-model", now))).isEqualTo("23503");
		// Switching a row to another model (re-embedding) needs no schema change.
		UUID id = (UUID) single(c, "SELECT id FROM qa_pairs WHERE question = 'bge 0.98'");
		inRolledBackTransaction(c, (tx) -> {
			assertThat(update(tx, "UPDATE qa_pairs SET embedding = ?, embedding_model = ?, embedded_at = now() WHERE id = ?",
					vector(1536, 0.5), OPENAI, id)).isEqualTo(1);
			return null;
		});
	}

}
