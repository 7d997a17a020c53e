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
import static dev.clara.schema.SchemaTestDatabase.createUser;
import static dev.clara.schema.SchemaTestDatabase.inRolledBackTransaction;
import static dev.clara.schema.SchemaTestDatabase.sqlStateOf;
import static dev.clara.schema.SchemaTestDatabase.update;
import static dev.clara.schema.SchemaTestDatabase.workspaceOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * search_qa_pairs_hybrid (V25): full-text candidates fused with the vector search by reciprocal
 * rank, over the same rows as search_qa_pairs; similarity stays each pair's cosine similarity.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchQaPairsHybridIntegrationTests {

	static final String MINILM = "all-minilm-l6-v2-q";

	private SchemaTestDatabase db;

	private Connection connection;

	private UUID owner;

	private UUID workspace;

	private UUID otherWorkspace;

	private int nextAxis = 1;

	@BeforeAll
	void setUp() throws SQLException {
		this.db = SchemaTestDatabase.migrated("schema_search_hybrid");
		this.connection = this.db.connect();
		PGvector.addVectorType(this.connection);
		this.owner = createUser(this.connection, "hybrid@example.test");
		this.workspace = workspaceOf(this.connection, this.owner);
		this.otherWorkspace = workspaceOf(this.connection, createUser(this.connection, "hybrid-other@example.test"));

		pair(this.workspace, "How can I transfer money to savings?", 0.80, true);
		pair(this.workspace, "What is the weather tomorrow?", 0.75, true);
		pair(this.workspace, "I forgot my password, how do I reset it?", 0.70, true);
		pair(this.workspace, "Reset the password of my home wifi router", 0.30, true);
		pair(this.workspace, "Password reset for an old account", 0.90, false);
		pair(this.otherWorkspace, "Reset my password please", 0.99, true);
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.connection.close();
		this.db.close();
	}

	/** A unit vector whose cosine similarity to {@link #query()} is exactly {@code similarity}. */
	private PGvector vector(double similarity) {
		float[] v = new float[384];
		v[0] = (float) similarity;
		v[this.nextAxis++] = (float) Math.sqrt(1 - similarity * similarity);
		return new PGvector(v);
	}

	private static PGvector query() {
		float[] v = new float[384];
		v[0] = 1;
		return new PGvector(v);
	}

	private void pair(UUID ws, String question, double similarity, boolean active) throws SQLException {
		update(this.connection, """
				INSERT INTO qa_pairs (workspace_id, question, answer, embedding, embedding_model, embedded_at, is_active)
				VALUES (?, ?, 'answer', ?, ?, now(), ?)""", ws, question, vector(similarity), MINILM, active);
	}

	record Hit(String question, double similarity, Integer semanticRank, Integer lexicalRank) {
	}

	private static List<Hit> search(Connection c, UUID ws, String text, double threshold, int count, String model)
			throws SQLException {
		String sql = """
				SELECT question, similarity, semantic_rank, lexical_rank
				FROM search_qa_pairs_hybrid(?, ?, ?, match_threshold => ?, match_count => ?, p_model => ?)""";
		List<Hit> hits = new ArrayList<>();
		try (PreparedStatement statement = c.prepareStatement(sql)) {
			statement.setObject(1, ws);
			statement.setObject(2, query());
			statement.setString(3, text);
			statement.setDouble(4, threshold);
			statement.setInt(5, count);
			statement.setString(6, model);
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					hits.add(new Hit(rs.getString(1), Math.round(rs.getDouble(2) * 1e4) / 1e4,
							(Integer) rs.getObject(3), (Integer) rs.getObject(4)));
				}
			}
		}
		return hits;
	}

	@Test
	void aPairSharingTheQuestionsWordsMovesAheadAndKeepsItsCosineSimilarity() throws SQLException {
		List<Hit> hits = search(this.connection, this.workspace, "how do I reset my password", 0.5, 5, MINILM);

		// semantic ranks: transfer 1, weather 2, forgot-password 3; lexical: forgot-password (reset,
		// password, shortest of the two sharing both words) first. The router pair shares the words
		// but is below the floor.
		assertThat(hits).containsExactly(new Hit("I forgot my password, how do I reset it?", 0.70, 3, 1),
				new Hit("How can I transfer money to savings?", 0.80, 1, null),
				new Hit("What is the weather tomorrow?", 0.75, 2, null));
	}

	@Test
	void withoutWordsInCommonItIsTheSemanticSearch() throws SQLException {
		assertThat(search(this.connection, this.workspace, "the of and", 0.0, 5, MINILM)).extracting(Hit::question)
			.containsExactly("How can I transfer money to savings?", "What is the weather tomorrow?",
					"I forgot my password, how do I reset it?", "Reset the password of my home wifi router");
		assertThat(search(this.connection, this.workspace, "", 0.0, 2, MINILM)).hasSize(2);
	}

	@Test
	void checksTheModelAndTheEmbeddingLikeTheSemanticSearch() throws SQLException {
		assertThat(sqlStateOf(this.connection, () -> search(this.connection, this.workspace, "reset", 0.0, 5, "no-such-model")))
			.isEqualTo("22023");
		assertThat(sqlStateOf(this.connection,
				() -> search(this.connection, this.workspace, "reset", 0.0, 5, "text-embedding-3-small")))
			.isEqualTo("22000");
	}

	@Test
	void rowLevelSecurityAppliesToTheCaller() throws SQLException {
		inRolledBackTransaction(this.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.owner);
			assertThat(search(c, this.workspace, "reset password", 0.0, 5, MINILM)).hasSize(4);
			assertThat(search(c, this.otherWorkspace, "reset password", 0.0, 5, MINILM)).isEmpty();
			return null;
		});
		inRolledBackTransaction(this.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.ANON, null);
			assertThat(sqlStateOf(c, () -> search(c, this.workspace, "reset", 0.0, 5, MINILM))).isEqualTo("42501");
			return null;
		});
	}

}
