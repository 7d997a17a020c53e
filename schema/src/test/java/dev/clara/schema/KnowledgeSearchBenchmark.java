package dev.clara.schema;

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
import java.util.Set;
import java.util.UUID;

import com.pgvector.PGvector;
import org.junit.jupiter.api.Test;

import static dev.clara.schema.SchemaTestDatabase.execute;
import static dev.clara.schema.SchemaTestDatabase.single;

/**
 * Benchmark of the chat turn's searches as chat-api issues them (not part of the test suite: the
 * class name does not match surefire's includes). Run it with
 *
 * <pre>
 * mvn -B -o -q -pl schema -am verify -Dtest=KnowledgeSearchBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * One database with a workspace of 1,000 Q&amp;A pairs, one of 10,000 and 48 others of 1,000 each
 * (59,000 pairs, model bge-small-en-v1.5-q, 384-d, one shared partial HNSW index as in
 * production); document chunks likewise: 1,000 and 10,000 serving chunks plus 48 workspaces of
 * 500, and for every fifth document the 50 chunks of an older version that no longer serves. Each
 * case sends its statement exactly as the repository does (the text of PairSearchRepository or
 * PassageSearch, a {@link PGvector} parameter, autocommit, as the superuser chat-api connects as)
 * and times the whole statement, rows read included. Recall@5 is against exact search: the same
 * statement with index scans disabled (so no HNSW index), and for the semantic search the exact
 * top 5 by cosine distance. Server CPU is the database backend's CPU time per statement (from
 * /proc, so the benchmark runs on the database's machine). The 48 other workspaces are of the same
 * domain as the 10,000-pair one (their topics are among its topics): a filtered scan of the shared
 * HNSW index meets their rows first. The report goes to stdout and to schema/target/knowledge-search-benchmark.md.
 * {@code -Dclara.bench.keep=true} keeps the database for EXPLAIN ANALYZE afterwards.
 */
class KnowledgeSearchBenchmark {

	static final String SEMANTIC = """
			SELECT id, question, answer, category, similarity, similarity AS weight
			FROM search_qa_pairs(?, ?, ?, ?, ?)
			""";

	static final String HYBRID = """
			SELECT id, question, answer, category, similarity, score AS weight
			FROM search_qa_pairs_hybrid(?, ?, ?, ?, ?, ?, ?, ?)
			""";

	static final String PASSAGES = """
			SELECT id, document_id, title, heading, content, similarity
			FROM search_document_chunks(?, ?, ?, ?, ?, ?)
			""";

	static final int OTHER_WORKSPACES = 48;

	static final int QUERIES = 200;

	static final int WARMUP = 20;

	/** The chat turn's search count. */
	static final int COUNT = 5;

	private final SearchBenchmarkData data = new SearchBenchmarkData(20261206L);

	@Test
	void benchmark() throws Exception {
		StringBuilder report = new StringBuilder();
		SchemaTestDatabase db = SchemaTestDatabase.migrated("knowledge_bench");
		try (Connection c = db.connect()) {
			PGvector.addVectorType(c);
			SearchBenchmarkData.Tenant large = tenant(c, "large", 200);
			SearchBenchmarkData.Tenant small = tenant(c, "small", 20, large);
			// HNSW indexes are built once after the load (faster than row by row), as they are defined then
			List<String> vectorIndexes = SchemaTestDatabase.strings(c, """
					SELECT indexdef FROM pg_indexes
					 WHERE tablename IN ('qa_pairs', 'document_chunks') AND indexdef LIKE '%hnsw%'""");
			for (String index : SchemaTestDatabase.strings(c, """
					SELECT indexname FROM pg_indexes
					 WHERE tablename IN ('qa_pairs', 'document_chunks') AND indexdef LIKE '%hnsw%'""")) {
				execute(c, "DROP INDEX " + index);
			}
			long loadStart = System.nanoTime();
			int pairs = this.data.copyPairs(c, small, 1_000) + this.data.copyPairs(c, large, 10_000);
			int chunks = this.data.copyChunks(c, small, 1_000) + this.data.copyChunks(c, large, 10_000);
			for (int i = 0; i < OTHER_WORKSPACES; i++) {
				SearchBenchmarkData.Tenant other = tenant(c, "other-" + i, 20, large);
				pairs += this.data.copyPairs(c, other, 1_000);
				chunks += this.data.copyChunks(c, other, 500);
			}
			double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
			long indexStart = System.nanoTime();
			execute(c, "SET maintenance_work_mem = '1GB'");
			for (String index : vectorIndexes) {
				execute(c, index);
			}
			execute(c, "RESET maintenance_work_mem");
			double indexSeconds = (System.nanoTime() - indexStart) / 1e9;
			execute(c, "VACUUM ANALYZE qa_pairs");
			execute(c, "VACUUM ANALYZE documents");
			execute(c, "VACUUM ANALYZE document_chunks");

			report.append("## Knowledge search benchmark\n\n")
				.append(String.format(Locale.ROOT,
						"%,d Q&A pairs and %,d document chunks (model %s, 384-d; COPY %.1f s, then the "
								+ "HNSW indexes as the migrations define them, %.1f s) over %d workspaces. %d queries per case after %d warm-up "
								+ "queries, match_threshold -1, match_count %d; latency = the statement as the repository "
								+ "issues it (JDBC, PGvector parameter), rows read.\n\n",
						pairs, chunks, SearchBenchmarkData.MODEL, loadSeconds, indexSeconds, OTHER_WORKSPACES + 2, QUERIES, WARMUP, COUNT))
				.append("| case | p50 ms | p99 ms | mean ms | server CPU ms | recall@5 |\n|---|---:|---:|---:|---:|---:|\n");
			report.append(run(c, "semantic, 1,000 pairs", Search.SEMANTIC, small));
			report.append(run(c, "semantic, 10,000 pairs", Search.SEMANTIC, large));
			report.append(run(c, "hybrid, 1,000 pairs", Search.HYBRID, small));
			report.append(run(c, "hybrid, 10,000 pairs", Search.HYBRID, large));
			report.append(run(c, "passages (hybrid), 1,000 chunks", Search.PASSAGES, small));
			report.append(run(c, "passages (hybrid), 10,000 chunks", Search.PASSAGES, large));
			report.append(run(c, "passages (vector), 10,000 chunks", Search.PASSAGES_VECTOR, large));
			report.append("\nPostgreSQL ").append(single(c, "SHOW server_version")).append(", pgvector ")
				.append(single(c, "SELECT extversion FROM pg_extension WHERE extname = 'vector'"))
				.append(", shared_buffers ").append(single(c, "SHOW shared_buffers"))
				.append(", ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs.\n");
		}
		finally {
			if (Boolean.getBoolean("clara.bench.keep")) {
				System.out.println("kept database " + db.name());
			}
			else {
				db.close();
			}
		}
		System.out.println(report);
		Files.writeString(Path.of("target", "knowledge-search-benchmark.md"), report);
	}

	enum Search {

		SEMANTIC, HYBRID, PASSAGES, PASSAGES_VECTOR

	}

	private SearchBenchmarkData.Tenant tenant(Connection c, String name, int topics) throws SQLException {
		return tenant(c, name, topics, null);
	}

	private SearchBenchmarkData.Tenant tenant(Connection c, String name, int topics, SearchBenchmarkData.Tenant sameDomain)
			throws SQLException {
		UUID owner = SchemaTestDatabase.createUser(c, "bench-" + name + "@example.test");
		return this.data.tenant(SchemaTestDatabase.workspaceOf(c, owner), topics, sameDomain);
	}

	/** One case: latency of the statement and recall@5 against the exact search. */
	private String run(Connection c, String name, Search search, SearchBenchmarkData.Tenant tenant)
			throws SQLException {
		List<Double> latencies = new ArrayList<>();
		double recallSum = 0;
		long cpuTicks = 0;
		Path stat = Path.of("/proc", String.valueOf(single(c, "SELECT pg_backend_pid()")), "stat");
		for (int q = 0; q < WARMUP + QUERIES; q++) {
			SearchBenchmarkData.Query query = this.data.query(tenant);
			long ticks = cpuTicks(stat);
			long start = System.nanoTime();
			List<String> found = search(c, search, tenant.workspace(), query);
			double ms = (System.nanoTime() - start) / 1e6;
			if (q < WARMUP) {
				continue;
			}
			cpuTicks += cpuTicks(stat) - ticks;
			latencies.add(ms);
			List<String> exact = exact(c, search, tenant.workspace(), query);
			Set<String> hit = new HashSet<>(found);
			hit.retainAll(exact);
			recallSum += exact.isEmpty() ? 1 : hit.size() / (double) exact.size();
		}
		double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		double mean = Arrays.stream(sorted).average().orElse(0);
		return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.3f |\n", name, percentile(sorted, 50),
				percentile(sorted, 99), mean, cpuTicks * 10.0 / QUERIES, recallSum / QUERIES);
	}

	/** The statement as the repository sends it; the rows' first column (the id). */
	private static List<String> search(Connection c, Search search, UUID ws, SearchBenchmarkData.Query query)
			throws SQLException {
		return switch (search) {
			case SEMANTIC -> ids(c, SEMANTIC, ws, query.embedding(), -1.0, COUNT, SearchBenchmarkData.MODEL);
			case HYBRID -> ids(c, HYBRID, ws, query.embedding(), query.text(), -1.0, COUNT, SearchBenchmarkData.MODEL,
					60, 20);
			case PASSAGES -> ids(c, PASSAGES, ws, query.embedding(), query.text(), -1.0, COUNT,
					SearchBenchmarkData.MODEL);
			case PASSAGES_VECTOR -> ids(c, PASSAGES, ws, query.embedding(), "", -1.0, COUNT, SearchBenchmarkData.MODEL);
		};
	}

	/**
	 * Exact search: for the semantic case the exact top 5 by cosine distance; otherwise the same
	 * statement with index scans off, which leaves no way to use an HNSW index.
	 */
	private static List<String> exact(Connection c, Search search, UUID ws, SearchBenchmarkData.Query query)
			throws SQLException {
		c.setAutoCommit(false);
		try {
			execute(c, "SET LOCAL enable_indexscan = off");
			if (search == Search.SEMANTIC) {
				return ids(c, """
						SELECT id FROM qa_pairs
						 WHERE workspace_id = ? AND is_active AND embedding_model = ? AND embedding IS NOT NULL
						 ORDER BY embedding OPERATOR(extensions.<=>) ?::extensions.vector, id
						 LIMIT 5""", ws, SearchBenchmarkData.MODEL, query.embedding());
			}
			return search(c, search, ws, query);
		}
		finally {
			c.commit();
			c.setAutoCommit(true);
		}
	}

	private static List<String> ids(Connection c, String sql, Object... params) throws SQLException {
		List<String> ids = new ArrayList<>();
		try (PreparedStatement statement = c.prepareStatement(sql)) {
			for (int i = 0; i < params.length; i++) {
				statement.setObject(i + 1, params[i]);
			}
			try (ResultSet rs = statement.executeQuery()) {
				int columns = rs.getMetaData().getColumnCount();
				while (rs.next()) {
					for (int i = 2; i <= columns; i++) {
						rs.getObject(i); // read every column, as the repository's row mapper does
					}
					ids.add(rs.getString(1));
				}
			}
		}
		return ids;
	}

	/**
	 * The backend's CPU time so far (user + system, in clock ticks of 10 ms, /proc/PID/stat):
	 * summed over the timed statements and divided by their number it is the server's CPU per
	 * statement, which, unlike the latency, does not grow with the load of a shared machine.
	 */
	private static long cpuTicks(Path stat) {
		try {
			String line = Files.readString(stat);
			String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (java.io.IOException ex) {
			return 0;
		}
	}

	private static double percentile(double[] sorted, int p) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
	}

}
