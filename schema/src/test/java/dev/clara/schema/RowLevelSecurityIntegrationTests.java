package dev.clara.schema;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import dev.clara.schema.RowLevelSecurityFixture.TableOps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import static dev.clara.schema.RowLevelSecurityFixture.q;
import static dev.clara.schema.SchemaTestDatabase.actAs;
import static dev.clara.schema.SchemaTestDatabase.count;
import static dev.clara.schema.SchemaTestDatabase.execute;
import static dev.clara.schema.SchemaTestDatabase.inRolledBackTransaction;
import static dev.clara.schema.SchemaTestDatabase.sqlStateOf;
import static dev.clara.schema.SchemaTestDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access table of schema/README.md, checked cell by cell: for every table (and view), every
 * requester (the workspace owner, a second signed-in user, anon, service_role) and every operation,
 * exactly what the table allows; and that the owner cannot move a row to another tenant. Claims are
 * set the way PostgREST sets them. What the table cannot say (single columns, the visitor's own
 * conversation, storage folders, claims on a pooled connection) is in
 * {@link RowLevelSecuritySpecialCasesIntegrationTests}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowLevelSecurityIntegrationTests {

	enum Requester {

		OWNER, OTHER_USER, ANON, SERVICE_ROLE

	}

	enum Op {

		SELECT('S'), INSERT('I'), UPDATE('U'), DELETE('D');

		final char letter;

		Op(char letter) {
			this.letter = letter;
		}

	}

	/**
	 * The access table (schema/README.md): owner / other signed-in user / anon / service_role.
	 * S I U D = select, insert, update, delete; "-" = nothing.
	 */
	static final Map<String, String> ACCESS = new LinkedHashMap<>();
	static {
		ACCESS.put("profiles", "SIU | - | - | SIUD");
		ACCESS.put("workspaces", "SIUD | - | - | SIUD");
		ACCESS.put("embedding_models", "S | S | S | SIUD");
		ACCESS.put("qa_pairs", "SIUD | - | - | SIUD");
		ACCESS.put("conversations", "SIUD | - | - | SIUD");
		ACCESS.put("messages", "SIUD | - | - | SIUD");
		ACCESS.put("chat_sessions", "S | - | - | S");
		ACCESS.put("qa_gaps", "SIUD | - | - | SIUD");
		ACCESS.put("api_keys", "SIUD | - | - | SIUD");
		ACCESS.put("documents", "SIUD | - | - | SIUD");
		ACCESS.put("document_chunks", "SIUD | - | - | SIUD");
		ACCESS.put("document_conversation_links", "SID | - | - | SIUD");
		ACCESS.put("api_usage", "S | - | - | SIUD");
		ACCESS.put("spend_cap_events", "S | - | - | SIUD");
		ACCESS.put("access_tokens", "SIUD | - | - | SIUD");
		ACCESS.put("outbox_events", "- | - | - | SIUD");
		ACCESS.put("processed_events", "- | - | - | SIUD");
		ACCESS.put("workspace_stats", "S | - | - | SIUD");
		ACCESS.put("document_chunk_staged_embeddings", "- | - | - | SIUD");
		ACCESS.put("qa_pair_staged_embeddings", "- | - | - | SIUD");
		ACCESS.put("rate_limit_counters", "- | - | - | SIUD");
		ACCESS.put("qa_pair_search_changes", "- | - | - | SIUD");
		ACCESS.put("storage.objects", "SIUD | S | S | SIUD");
		ACCESS.put("qa_import_jobs", "SIUD | - | - | SIUD");
		ACCESS.put("qa_import_rows", "SID | - | - | SIUD");
		ACCESS.put("owner_refresh_tokens", "- | - | - | SIUD");
		ACCESS.put("owner_account_tokens", "- | - | - | SIUD");
		ACCESS.put("owner_auth_throttle", "- | - | - | SIUD");
		ACCESS.put("owner_identities", "- | - | - | SIUD");
		ACCESS.put("storage_object_contents", "SIUD | - | - | SIUD");
		ACCESS.put("answer_models", "S | - | - | SIUD");
		ACCESS.put("answer_model_requests", "- | - | - | SIUD");
		ACCESS.put("answer_test_questions", "SIUD | - | - | SIUD");
		ACCESS.put("answer_calibrations", "S | S | - | SIUD");
		ACCESS.put("answer_test_results", "S | - | - | SIUD");
		ACCESS.put("message_feedback", "S | - | - | SIUD");
		ACCESS.put("phrasing_suggestions", "SU | - | - | SIUD");
		ACCESS.put("identity_secrets", "SIU | - | - | SIUD");
		ACCESS.put("end_users", "S | - | - | SIUD");
		ACCESS.put("transcripts", "SIUD | - | - | SIUD");
		ACCESS.put("transcript_suggestions", "SIUD | - | - | SIUD");
	}

	private RowLevelSecurityFixture fixture;

	@BeforeAll
	void setUp() throws SQLException {
		this.fixture = new RowLevelSecurityFixture("schema_rls");
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.fixture.close();
	}

	@Test
	void theAccessTableCoversEveryTableAndViewOfPublic() throws SQLException {
		List<String> relations = SchemaTestDatabase.strings(this.fixture.connection, """
				SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
				 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
				   AND c.relname <> 'flyway_schema_history'""");
		assertThat(ACCESS.keySet()).containsAll(relations);
		assertThat(this.fixture.ops.keySet()).containsExactlyElementsOf(ACCESS.keySet());
	}

	@TestFactory
	Stream<DynamicTest> accessMatrix() {
		List<DynamicTest> tests = new ArrayList<>();
		for (Map.Entry<String, String> row : ACCESS.entrySet()) {
			String[] cells = row.getValue().split("\\|");
			for (Requester requester : Requester.values()) {
				Set<Op> allowed = parse(cells[requester.ordinal()].trim());
				for (Op op : Op.values()) {
					boolean expected = allowed.contains(op);
					String name = row.getKey() + " " + requester + " " + op + " -> " + (expected ? "allowed" : "refused");
					tests.add(DynamicTest.dynamicTest(name, () -> check(row.getKey(), requester, op, expected)));
				}
			}
		}
		assertThat(tests).hasSize(ACCESS.size() * 4 * 4);
		return tests.stream();
	}

	private void check(String table, Requester requester, Op op, boolean expectedAllowed) throws SQLException {
		TableOps tableOps = this.fixture.ops.get(table);
		inRolledBackTransaction(this.fixture.connection, (c) -> {
			if (op == Op.INSERT && tableOps.prepareInsert() != null) {
				execute(c, tableOps.prepareInsert());
			}
			switch (requester) {
				case OWNER -> actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.owner);
				case OTHER_USER -> actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.otherUser);
				case ANON -> actAs(c, SchemaTestDatabase.Role.ANON, null);
				case SERVICE_ROLE -> actAs(c, SchemaTestDatabase.Role.SERVICE_ROLE, null);
			}
			long[] affected = { -1 };
			String sql = switch (op) {
				case SELECT -> tableOps.select();
				case INSERT -> tableOps.insert();
				case UPDATE -> tableOps.update();
				case DELETE -> tableOps.delete();
			};
			String state = sqlStateOf(c, () -> {
				if (op == Op.SELECT) {
					affected[0] = count(c, sql);
				}
				else {
					affected[0] = update(c, sql);
				}
			});
			if (expectedAllowed) {
				assertThat(state).as("SQLSTATE of %s", sql).isNull();
				assertThat(affected[0]).as("rows of %s", sql).isGreaterThanOrEqualTo(1);
			}
			else if (op == Op.INSERT) {
				assertThat(state).as("SQLSTATE of %s", sql).isEqualTo("42501");
			}
			else {
				assertThat(state == null ? (Object) affected[0] : state).as("outcome of %s", sql)
					.isIn(0L, "42501");
			}
			return null;
		});
	}

	@TestFactory
	Stream<DynamicTest> theOwnerCannotMoveARowToAnotherTenant() {
		Map<String, String> moves = new LinkedHashMap<>();
		UUID other = this.fixture.otherWorkspace;
		moves.put("profiles", q("UPDATE profiles SET id = '%s' WHERE id = '%s'", this.fixture.otherUser, this.fixture.owner));
		moves.put("workspaces", q("UPDATE workspaces SET owner_id = '%s' WHERE id = '%s'", this.fixture.otherUser,
				this.fixture.workspace));
		for (String table : List.of("qa_pairs", "conversations", "messages", "qa_gaps", "api_keys", "documents",
				"document_chunks", "document_conversation_links", "access_tokens", "qa_import_jobs", "storage_object_contents",
				"answer_test_questions", "transcripts", "transcript_suggestions")) {
			moves.put(table, q("UPDATE %s SET workspace_id = '%s' WHERE workspace_id = '%s'", table, other, this.fixture.workspace));
		}
		moves.put("storage.objects", q("UPDATE storage.objects SET name = '%s/avatar.png' WHERE name = '%s/avatar.png'",
				other, this.fixture.workspace));
		for (String table : List.of("qa_pairs", "conversations", "qa_gaps", "documents", "access_tokens", "api_keys")) {
			moves.put(table + " (insert)",
					this.fixture.ops.get(table).insert().replace(this.fixture.workspace.toString(), other.toString()));
		}
		return moves.entrySet().stream().map((move) -> DynamicTest.dynamicTest(move.getKey(), () -> {
			String state = inRolledBackTransaction(this.fixture.connection, (c) -> {
				actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.owner);
				return sqlStateOf(c, () -> update(c, move.getValue()));
			});
			assertThat(state).as(move.getValue()).isEqualTo("42501");
		}));
	}

	private static Set<Op> parse(String cell) {
		Set<Op> ops = EnumSet.noneOf(Op.class);
		for (Op op : Op.values()) {
			if (cell.indexOf(op.letter) >= 0) {
				ops.add(op);
			}
		}
		return ops;
	}

}
