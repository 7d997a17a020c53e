package dev.clara.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

/**
 * Insert-to-embedded latency through the whole running pipeline (./clara up): a Q&A pair is
 * inserted, the CDC relay publishes its change, the embedding worker embeds it and writes the
 * vector. Inserts at a steady rate, waits for every vector, and reports p50/p99 of
 * embedded_at - created_at (both stamped by PostgreSQL's clock). The workspace is deleted after.
 *
 * Arguments: jdbcUrl [pairs] [perSecond]
 */
public class EmbeddingPipelineLatency {

	public static void main(String[] args) throws Exception {
		String url = args[0];
		int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 600;
		int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : 10;
		try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
			UUID owner = UUID.randomUUID();
			try (PreparedStatement user = db.prepareStatement("INSERT INTO auth.users (id, email) VALUES (?, ?)")) {
				user.setObject(1, owner);
				user.setString(2, "pipeline-bench-" + owner + "@example.test");
				user.executeUpdate();
			}
			UUID workspace;
			try (ResultSet row = db.createStatement()
				.executeQuery("SELECT id FROM workspaces WHERE owner_id = '" + owner + "'")) {
				row.next();
				workspace = row.getObject(1, UUID.class);
			}
			try {
				long start = System.nanoTime();
				try (PreparedStatement insert = db.prepareStatement(
						"INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (?, ?, 'bench answer')")) {
					for (int i = 0; i < pairs; i++) {
						long due = start + (long) (i * 1e9 / perSecond);
						long wait = due - System.nanoTime();
						if (wait > 0) {
							Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
						}
						insert.setObject(1, workspace);
						insert.setString(2, "How does feature " + i + " of plan " + (i % 7) + " work for my team?");
						insert.executeUpdate();
					}
				}
				System.out.printf("inserted %d pairs at %d/s; waiting for their vectors%n", pairs, perSecond);
				long deadline = System.nanoTime() + 600_000_000_000L;
				long embedded = 0;
				while (System.nanoTime() < deadline) {
					try (ResultSet row = db.createStatement().executeQuery("SELECT count(*) FROM qa_pairs WHERE workspace_id = '"
							+ workspace + "' AND embedding IS NOT NULL")) {
						row.next();
						embedded = row.getLong(1);
					}
					if (embedded == pairs) {
						break;
					}
					Thread.sleep(500);
				}
				try (ResultSet row = db.createStatement().executeQuery("""
						SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM embedded_at - created_at)),
						       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM embedded_at - created_at)),
						       max(extract(epoch FROM embedded_at - created_at)), count(*)
						FROM qa_pairs WHERE embedding IS NOT NULL AND workspace_id = '%s'""".formatted(workspace))) {
					row.next();
					System.out.printf("insert-to-embedded latency over %d pairs: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
							row.getLong(4), row.getDouble(1) * 1000, row.getDouble(2) * 1000, row.getDouble(3) * 1000);
				}
			}
			finally {
				db.createStatement().executeUpdate("DELETE FROM auth.users WHERE id = '" + owner + "'");
			}
		}
	}

}
