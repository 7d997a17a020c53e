package dev.clara.evaluation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;

import dev.clara.evaluation.KnowledgeBase.Pair;

/**
 * The fallback when the chat-api has no owner API: the owner and the pairs are written with SQL
 * (a user row, whose trigger creates the workspace, then the pairs), as the chat load benchmark
 * does. The report says which path was used.
 */
final class SqlImport implements KnowledgeImport {

	static final String PATH = "direct SQL (fallback: no owner API)";

	private final Connection db;

	SqlImport(Connection db) {
		this.db = db;
	}

	@Override
	public Imported run(String label, List<Pair> pairs) throws Exception {
		UUID owner = UUID.randomUUID();
		try (PreparedStatement insert = this.db.prepareStatement("INSERT INTO auth.users (id, email) VALUES (?, ?)")) {
			insert.setObject(1, owner);
			insert.setString(2, "eval-" + label + "-" + owner + "@example.test");
			insert.executeUpdate();
		}
		UUID workspace;
		try (PreparedStatement select = this.db.prepareStatement("SELECT id FROM workspaces WHERE owner_id = ?")) {
			select.setObject(1, owner);
			try (ResultSet rows = select.executeQuery()) {
				rows.next();
				workspace = rows.getObject(1, UUID.class);
			}
		}
		try (PreparedStatement insert = this.db.prepareStatement(
				"INSERT INTO qa_pairs (workspace_id, question, answer, category) VALUES (?, ?, ?, ?)")) {
			int batched = 0;
			for (Pair pair : pairs) {
				insert.setObject(1, workspace);
				insert.setString(2, pair.question());
				insert.setString(3, pair.answer());
				insert.setString(4, pair.category());
				insert.addBatch();
				if (++batched % 1000 == 0) {
					insert.executeBatch();
				}
			}
			insert.executeBatch();
		}
		return new Imported(workspace, PATH, pairs.size(), pairs.size() + " inserted");
	}

}
