package dev.clara.schema;

import static dev.clara.schema.SyntheticVectors.add;
import static dev.clara.schema.SyntheticVectors.normalise;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import com.pgvector.PGvector;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import static dev.clara.schema.SchemaTestDatabase.execute;
import static dev.clara.schema.SchemaTestDatabase.single;
import static dev.clara.schema.SchemaTestDatabase.strings;

/**
 * Benchmark of search_qa_pairs (not part of the test suite: the class name does not match
 * surefire's includes). Run it with
 *
 * <pre>
 * mvn -q -pl schema -am verify -Dtest=SearchQaPairsBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * 100,000 Q&amp;A pairs over 100 workspaces (one tenant with 50,000, 99 with about 505 each),
 * 384-d vectors of the default model, clustered (each tenant has its own topics; a topic is a
 * random centre, a pair is its centre plus noise, normalised). Queries are a topic centre of the
 * tenant plus noise. For each query: search_qa_pairs latency (JDBC round trip) and recall@5
 * against an exact scan (same rows, ordered by the exact distance without any vector index).
 * The report goes to stdout and to schema/target/search-benchmark.md.
 */
class SearchQaPairsBenchmark {

	static final int DIMENSIONS = 384;

	static final int WORKSPACES = 100;

	static final int LARGE_TENANT_ROWS = 50_000;

	static final int TOTAL_ROWS = 100_000;

	static final int QUERIES = 300;

	static final int WARMUP = 30;

	static final String MODEL = "all-minilm-l6-v2-q";

	/** Per-component noise around a topic centre (a centre's components are about 0.051). */
	static final float ROW_NOISE = 0.035f;

	static final float QUERY_NOISE = 0.035f;

	private final Random random = new Random(20260223L);

	@Test
	void benchmark() throws Exception {
		StringBuilder report = new StringBuilder();
		try (SchemaTestDatabase db = SchemaTestDatabase.migrated("schema_bench"); Connection c = db.connect()) {
			PGvector.addVectorType(c);
			List<UUID> workspaces = new ArrayList<>();
			List<UUID> owners = new ArrayList<>();
			for (int i = 0; i < WORKSPACES; i++) {
				UUID owner = SchemaTestDatabase.createUser(c, "bench-" + i + "@example.test");
				owners.add(owner);
				workspaces.add(SchemaTestDatabase.workspaceOf(c, owner));
			}

			// Tenant topics: the large tenant 400 topics, a small one 8.
			List<float[][]> topics = new ArrayList<>();
			for (int t = 0; t < WORKSPACES; t++) {
				int n = (t == 0) ? 400 : 8;
				float[][] centres = new float[n][];
				for (int k = 0; k < n; k++) {
					centres[k] = normalise(gaussian(1.0f));
				}
				topics.add(centres);
			}

			String indexName = "idx_qa_pairs_embedding_all_minilm_l6_v2_q";
			String indexDef = (String) single(c, "SELECT indexdef FROM pg_indexes WHERE indexname = ?", indexName);
			execute(c, "DROP INDEX " + indexName);

			long loadStart = System.nanoTime();
			int smallRows = (TOTAL_ROWS - LARGE_TENANT_ROWS) / (WORKSPACES - 1);
			int loaded = 0;
			for (int t = 0; t < WORKSPACES; t++) {
				int rows = (t == 0) ? LARGE_TENANT_ROWS : (t == WORKSPACES - 1 ? TOTAL_ROWS - LARGE_TENANT_ROWS - smallRows * (WORKSPACES - 2) : smallRows);
				loaded += copy(c, workspaces.get(t), topics.get(t), rows);
			}
			double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

			long indexStart = System.nanoTime();
			execute(c, "SET maintenance_work_mem = '1GB'");
			execute(c, indexDef);
			execute(c, "RESET maintenance_work_mem");
			double indexSeconds = (System.nanoTime() - indexStart) / 1e9;
			execute(c, "VACUUM ANALYZE qa_pairs");

			report.append("## search_qa_pairs benchmark\n\n")
				.append(String.format(Locale.ROOT,
						"%,d Q&A pairs (%d-d, model %s) over %d workspaces: 1 tenant with %,d, 99 with ~%d each. "
								+ "Load (COPY) %.1f s, HNSW index build (m=16, ef_construction=64) %.1f s. "
								+ "%d queries per case after %d warm-up queries; match_threshold -1 (recall of the top 5 only), match_count 5.\n\n",
						loaded, DIMENSIONS, MODEL, WORKSPACES, LARGE_TENANT_ROWS, smallRows, loadSeconds, indexSeconds, QUERIES,
						WARMUP))
				.append("| case | plan of the candidate query | p50 ms | p99 ms | mean ms | recall@5 |\n")
				.append("|---|---|---:|---:|---:|---:|\n");

			report.append(run(c, "large tenant (50,000 rows), service_role", workspaces, topics, true, null, List.of()));
			report.append(run(c, "small tenants (~505 rows), service_role", workspaces, topics, false, null, List.of()));
			report.append(run(c, "large tenant, owner via RLS (authenticated)", workspaces, topics, true, owners, List.of()));
			report.append(run(c, "small tenants, owner via RLS (authenticated)", workspaces, topics, false, owners, List.of()));
			// Stress the filtered HNSW path: make the planner use the HNSW index for a 0.5 % tenant.
			List<String> forceHnsw = List.of("SET LOCAL enable_sort = off", "SET LOCAL enable_bitmapscan = off");
			report.append(run(c, "small tenants, HNSW forced (enable_sort/bitmapscan off)", workspaces, topics, false, null, forceHnsw));

			report.append("\nPostgreSQL ").append(single(c, "SHOW server_version")).append(", pgvector ")
				.append(single(c, "SELECT extversion FROM pg_extension WHERE extname = 'vector'"))
				.append(", shared_buffers ").append(single(c, "SHOW shared_buffers"))
				.append(", ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs.\n");
		}
		System.out.println(report);
		Files.writeString(Path.of("target", "search-benchmark.md"), report);
	}

	/** One case: latency of search_qa_pairs and recall@5 against the exact scan. */
	private String run(Connection c, String name, List<UUID> workspaces, List<float[][]> topics, boolean large,
			List<UUID> owners, List<String> settings) throws SQLException {
		List<Double> latencies = new ArrayList<>();
		double recallSum = 0;
		int measured = 0;
		String plan = null;
		for (int q = 0; q < WARMUP + QUERIES; q++) {
			int tenant = large ? 0 : 1 + this.random.nextInt(WORKSPACES - 1);
			UUID ws = workspaces.get(tenant);
			float[][] centres = topics.get(tenant);
			PGvector query = new PGvector(normalise(add(centres[this.random.nextInt(centres.length)], gaussian(QUERY_NOISE))));
			if (plan == null) {
				plan = plan(c, ws, query, settings);
			}

			c.setAutoCommit(false);
			if (owners == null) {
				SchemaTestDatabase.actAs(c, SchemaTestDatabase.Role.SERVICE_ROLE, null);
			}
			else {
				SchemaTestDatabase.actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, owners.get(tenant));
			}
			for (String setting : settings) {
				execute(c, setting);
			}
			long start = System.nanoTime();
			List<String> found = ids(c, "SELECT id FROM search_qa_pairs(?, ?, -1, 5, ?)", ws, query, MODEL);
			double ms = (System.nanoTime() - start) / 1e6;
			c.commit();
			c.setAutoCommit(true);

			List<String> exact = exact(c, ws, query);
			if (q >= WARMUP) {
				latencies.add(ms);
				Set<String> hit = new HashSet<>(found);
				hit.retainAll(exact);
				recallSum += hit.size() / (double) exact.size();
				measured++;
			}
		}
		double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		double mean = Arrays.stream(sorted).average().orElse(0);
		return String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.3f |\n", name, plan, percentile(sorted, 50),
				percentile(sorted, 99), mean, recallSum / measured);
	}

	/** The exact top 5: same rows, exact distance, no vector index (the expression matches none). */
	private static List<String> exact(Connection c, UUID ws, PGvector query) throws SQLException {
		c.setAutoCommit(false);
		execute(c, "SET LOCAL enable_indexscan = off");
		List<String> ids = ids(c, """
				SELECT id FROM qa_pairs
				 WHERE workspace_id = ? AND is_active AND embedding_model = 'all-minilm-l6-v2-q' AND embedding IS NOT NULL
				 ORDER BY embedding OPERATOR(extensions.<=>) ?::extensions.vector, id
				 LIMIT 5""", ws, query);
		c.commit();
		c.setAutoCommit(true);
		return ids;
	}

	/** The plan the function's candidate query gets (same text, same constants, same settings). */
	private static String plan(Connection c, UUID ws, PGvector query, List<String> settings) throws SQLException {
		c.setAutoCommit(false);
		for (String setting : settings) {
			execute(c, setting);
		}
		execute(c, "SET LOCAL hnsw.iterative_scan = relaxed_order");
		execute(c, "SET LOCAL hnsw.ef_search = 100");
		List<String> lines = strings(c, """
				EXPLAIN SELECT qp.id, (qp.embedding::extensions.vector(384)) OPERATOR(extensions.<=>) (?::extensions.vector(384)) AS distance
				  FROM public.qa_pairs qp
				 WHERE qp.workspace_id = ? AND qp.is_active AND qp.embedding_model = 'all-minilm-l6-v2-q' AND qp.embedding IS NOT NULL
				 ORDER BY distance LIMIT 20""", query, ws);
		c.commit();
		c.setAutoCommit(true);
		for (String line : lines) {
			if (line.contains("Index Scan using idx_qa_pairs_embedding")) {
				return "HNSW index scan (iterative, workspace filter)";
			}
		}
		for (String line : lines) {
			if (line.contains("Scan using") || line.contains("Bitmap")) {
				return "workspace b-tree + exact sort";
			}
		}
		return String.join(" / ", lines).trim();
	}

	private static List<String> ids(Connection c, String sql, Object... params) throws SQLException {
		List<String> ids = new ArrayList<>();
		try (PreparedStatement statement = c.prepareStatement(sql)) {
			for (int i = 0; i < params.length; i++) {
				statement.setObject(i + 1, params[i]);
			}
			try (ResultSet rs = statement.executeQuery()) {
				while (rs.next()) {
					ids.add(rs.getString(1));
				}
			}
		}
		return ids;
	}

	private int copy(Connection c, UUID ws, float[][] centres, int rows) throws SQLException, IOException {
		int copied = 0;
		for (int from = 0; from < rows; from += 5000) {
			copied += copy(c, ws, centres, from, Math.min(rows, from + 5000));
		}
		return copied;
	}

	private int copy(Connection c, UUID ws, float[][] centres, int from, int to) throws SQLException, IOException {
		StringBuilder data = new StringBuilder((to - from) * 4200);
		for (int i = from; i < to; i++) {
			float[] v = normalise(add(centres[this.random.nextInt(centres.length)], gaussian(ROW_NOISE)));
			data.append(ws).append('\t').append("Question ").append(i).append('\t').append("Answer ").append(i)
				.append("\tgeneral\t[");
			for (int d = 0; d < v.length; d++) {
				if (d > 0) {
					data.append(',');
				}
				data.append(v[d]);
			}
			data.append("]\t").append(MODEL).append("\t2026-01-01 00:00:00+00\n");
		}
		return (int) c.unwrap(PGConnection.class)
			.getCopyAPI()
			.copyIn("COPY qa_pairs (workspace_id, question, answer, category, embedding, embedding_model, embedded_at) FROM STDIN",
					new StringReader(data.toString()));
	}

	private float[] gaussian(float sigma) {
		return SyntheticVectors.gaussian(this.random, DIMENSIONS, sigma);
	}

	private static double percentile(double[] sorted, int p) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

}
