package dev.clara.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.clara.schema.SchemaTestDatabase.execute;
import static dev.clara.schema.SchemaTestDatabase.inRolledBackTransaction;
import static dev.clara.schema.SchemaTestDatabase.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules every migration must keep. Each rule is a catalog query that lists the offenders; the
 * last test plants one offender of each kind to show that the queries do find them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaLintIntegrationTests {

	static final String TABLES_WITHOUT_RLS = """
			SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
			 ORDER BY 1""";

	/** "auth.uid() IS NULL OR ..." in any policy (any schema), however parenthesised. */
	static final String NULL_UID_BYPASS_POLICIES = """
			SELECT schemaname || '.' || tablename || ': ' || policyname FROM pg_policies
			 WHERE regexp_replace(coalesce(qual, '') || ' ' || coalesce(with_check, ''), '[()\\s]', '', 'g')
			       ~* 'auth\\.uid(ASuid)?(::[a-z]+)?ISNULLOR'
			 ORDER BY 1""";

	static final String VIEWS_WITHOUT_SECURITY_INVOKER = """
			SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			 WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')
			   AND NOT coalesce('security_invoker=true' = ANY (c.reloptions)
			                 OR 'security_invoker=on' = ANY (c.reloptions), false)
			 ORDER BY 1""";

	static final String POLICIES_FOR_PUBLIC_ROLE = """
			SELECT tablename || ': ' || policyname FROM pg_policies
			 WHERE schemaname = 'public' AND 'public' = ANY (roles)
			 ORDER BY 1""";

	static final String WRITE_POLICIES_WITHOUT_WITH_CHECK = """
			SELECT tablename || ': ' || policyname FROM pg_policies
			 WHERE schemaname = 'public' AND cmd IN ('INSERT', 'UPDATE', 'ALL') AND with_check IS NULL
			 ORDER BY 1""";

	static final String UPDATED_AT_WITHOUT_TRIGGER = """
			SELECT c.relname FROM pg_class c
			  JOIN pg_namespace n ON n.oid = c.relnamespace
			  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'updated_at' AND NOT a.attisdropped
			 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
			   AND NOT EXISTS (SELECT 1 FROM pg_trigger t
			                    WHERE t.tgrelid = c.oid AND NOT t.tgisinternal
			                      AND t.tgtype & 2 = 2   -- BEFORE
			                      AND t.tgtype & 16 = 16 -- UPDATE
			                      AND t.tgname LIKE 'set_updated_at_%')
			 ORDER BY 1""";

	static final String SECURITY_DEFINER_WITHOUT_SEARCH_PATH = """
			SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			 WHERE n.nspname = 'public' AND p.prosecdef
			   AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) cfg WHERE cfg LIKE 'search_path=%')
			 ORDER BY 1""";

	/** anon may read embedding_models and nothing else in public. */
	static final String ANON_PRIVILEGES = """
			SELECT table_name || ':' || privilege_type FROM information_schema.role_table_grants
			 WHERE grantee = 'anon' AND table_schema = 'public'
			 ORDER BY 1""";

	private SchemaTestDatabase db;

	private Connection connection;

	@BeforeAll
	void setUp() throws SQLException {
		this.db = SchemaTestDatabase.migrated("schema_lint");
		this.connection = this.db.connect();
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.connection.close();
		this.db.close();
	}

	@Test
	void everyPublicTableHasRowLevelSecurity() throws SQLException {
		assertThat(strings(this.connection, TABLES_WITHOUT_RLS)).isEmpty();
		// Flyway's history table too (Supabase would otherwise expose it through its API).
		assertThat(strings(this.connection,
				"SELECT relrowsecurity FROM pg_class WHERE oid = 'public.flyway_schema_history'::regclass"))
			.containsExactly("true");
	}

	@Test
	void noPolicyLetsARequestWithoutUserThrough() throws SQLException {
		assertThat(strings(this.connection, NULL_UID_BYPASS_POLICIES)).isEmpty();
	}

	@Test
	void everyViewRunsWithTheCallersRights() throws SQLException {
		assertThat(strings(this.connection, VIEWS_WITHOUT_SECURITY_INVOKER)).isEmpty();
		assertThat(strings(this.connection, "SELECT viewname FROM pg_views WHERE schemaname = 'public'"))
			.containsExactly("chat_sessions");
	}

	@Test
	void policiesNameTheirRolesAndCheckWhatTheyWrite() throws SQLException {
		assertThat(strings(this.connection, POLICIES_FOR_PUBLIC_ROLE)).isEmpty();
		assertThat(strings(this.connection, WRITE_POLICIES_WITHOUT_WITH_CHECK)).isEmpty();
	}

	@Test
	void everyUpdatedAtColumnHasItsTrigger() throws SQLException {
		assertThat(strings(this.connection, UPDATED_AT_WITHOUT_TRIGGER)).isEmpty();
	}

	@Test
	void securityDefinerFunctionsPinTheirSearchPath() throws SQLException {
		assertThat(strings(this.connection, SECURITY_DEFINER_WITHOUT_SEARCH_PATH)).isEmpty();
		assertThat(strings(this.connection, """
				SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
				 WHERE n.nspname = 'public' AND p.prosecdef ORDER BY 1"""))
			.containsExactly("answer_model_request_status", "forget_qa_pair_search_changes", "handle_new_auth_user",
					"note_qa_pair_search_change",
					"request_answer_model", "request_answer_model_on_change", "touch_conversation_on_message");
	}

	@Test
	void anonReadsOnlyTheEmbeddingModels() throws SQLException {
		assertThat(strings(this.connection, ANON_PRIVILEGES)).containsExactly("embedding_models:SELECT");
	}

	@Test
	void theLintFindsOffenders() throws SQLException {
		inRolledBackTransaction(this.connection, (c) -> {
			execute(c, "CREATE TABLE public.lint_no_rls (id int)");
			execute(c, "CREATE TABLE public.lint_bad_policy (id int, owner uuid, updated_at timestamptz)");
			execute(c, "ALTER TABLE public.lint_bad_policy ENABLE ROW LEVEL SECURITY");
			execute(c, "CREATE POLICY lint_null_uid ON public.lint_bad_policy FOR SELECT TO authenticated USING (auth.uid() IS NULL OR owner = auth.uid())");
			execute(c, "CREATE POLICY lint_null_uid_2 ON public.lint_bad_policy FOR SELECT TO authenticated USING ((SELECT auth.uid()) IS NULL OR owner = auth.uid())");
			execute(c, "CREATE POLICY lint_public ON public.lint_bad_policy FOR SELECT USING (true)");
			execute(c, "CREATE POLICY lint_no_check ON public.lint_bad_policy FOR UPDATE TO authenticated USING (owner = auth.uid())");
			execute(c, "CREATE VIEW public.lint_definer_view AS SELECT 1 AS one");
			execute(c, "CREATE FUNCTION public.lint_definer() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1'");
			execute(c, "GRANT SELECT ON public.lint_no_rls TO anon");

			assertThat(strings(c, TABLES_WITHOUT_RLS)).containsExactly("lint_no_rls");
			assertThat(strings(c, NULL_UID_BYPASS_POLICIES)).containsExactly("public.lint_bad_policy: lint_null_uid",
					"public.lint_bad_policy: lint_null_uid_2");
			assertThat(strings(c, VIEWS_WITHOUT_SECURITY_INVOKER)).containsExactly("lint_definer_view");
			assertThat(strings(c, POLICIES_FOR_PUBLIC_ROLE)).containsExactly("lint_bad_policy: lint_public");
			assertThat(strings(c, WRITE_POLICIES_WITHOUT_WITH_CHECK)).containsExactly("lint_bad_policy: lint_no_check");
			assertThat(strings(c, UPDATED_AT_WITHOUT_TRIGGER)).containsExactly("lint_bad_policy");
			assertThat(strings(c, SECURITY_DEFINER_WITHOUT_SEARCH_PATH)).containsExactly("lint_definer()");
			assertThat(strings(c, ANON_PRIVILEGES)).contains("lint_no_rls:SELECT");
			return null;
		});
	}

}
