package dev.clara.chat.owner.pairs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The one insert of Q&A pairs, for every way an owner adds them: by hand, answering a gap, a CSV
 * import, accepting a suggestion from a transcript. It runs inside the owner's transaction ({@code OwnerDb.as}), so row-level security decides
 * whether the workspace may be written. Ids are chosen here, before the insert, so a caller knows
 * which pair each of its rows became.
 */
@Repository
public class QaPairInserts {

	public static final String DEFAULT_CATEGORY = "general";

	private static final String INSERT = """
			INSERT INTO qa_pairs (id, workspace_id, question, answer, category, is_active, source, metadata)
			SELECT t.id, :workspaceId, t.question, t.answer, t.category, t.is_active, t.source, t.metadata
			FROM jsonb_to_recordset(CAST(:pairs AS jsonb))
			     AS t(n int, id uuid, question text, answer text, category text, is_active boolean, source text, metadata jsonb)
			ORDER BY t.n
			""";

	private final JsonMapper json;

	QaPairInserts(JsonMapper json) {
		this.json = json;
	}

	/** Where a pair came from ({@code qa_pairs.source}). */
	public enum Source {

		MANUAL("manual"), CSV_IMPORT("csv_import"), TRANSCRIPT_EXTRACTION("transcript_extraction");

		private final String column;

		Source(String column) {
			this.column = column;
		}

	}

	/**
	 * A pair to add; without a category it is filed under {@value #DEFAULT_CATEGORY}.
	 *
	 * @param metadata what the pair was made from (e.g. the gap or the import row), {@code {}} when nothing
	 */
	public record NewPair(String question, String answer, String category, boolean active, Source source,
			Map<String, Object> metadata) {

		public NewPair {
			category = (category == null) ? DEFAULT_CATEGORY : category;
			metadata = Map.copyOf(metadata);
		}

	}

	/** Adds one pair to the owner's workspace; its id. */
	public UUID insert(JdbcClient sql, UUID workspaceId, NewPair pair) {
		return insert(sql, workspaceId, List.of(pair)).get(0);
	}

	/** Adds the pairs in their order; their ids, in the same order. */
	public List<UUID> insert(JdbcClient sql, UUID workspaceId, List<NewPair> pairs) {
		List<UUID> ids = new ArrayList<>(pairs.size());
		ArrayNode rows = this.json.createArrayNode();
		for (NewPair pair : pairs) {
			UUID id = UUID.randomUUID();
			ids.add(id);
			rows.addObject()
				.put("n", ids.size())
				.put("id", id.toString())
				.put("question", pair.question())
				.put("answer", pair.answer())
				.put("category", pair.category())
				.put("is_active", pair.active())
				.put("source", pair.source().column)
				.set("metadata", this.json.valueToTree(pair.metadata()));
		}
		if (!pairs.isEmpty()) {
			sql.sql(INSERT).param("workspaceId", workspaceId).param("pairs", this.json.writeValueAsString(rows)).update();
		}
		return ids;
	}

}
