package dev.clara.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.clara.testing.LocalPostgres;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

import static dev.clara.schema.SchemaTestDatabase.count;
import static dev.clara.schema.SchemaTestDatabase.strings;
import static dev.clara.schema.SchemaTestDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Migrate, roll back, migrate again: the same schema, compared with pg_dump --schema-only. */
class MigrationRoundTripIntegrationTests {

	private static final String SU = LocalPostgres.superuser();

	@Test
	void migrateRollBackEverythingAndMigrateAgainYieldsTheSameSchema() throws SQLException {
		try (SchemaTestDatabase db = SchemaTestDatabase.migrated("schema_round_trip")) {
			String first = PgDump.schemaOnly(db.name());
			// Rolling back works with data in the tables (the seed also adds pgcrypto to extensions).
			Migrations.seedDemo(db.jdbcUrl(), SU, "");
			assertThat(first).contains("CREATE TABLE public.qa_pairs", "CREATE FUNCTION public.search_qa_pairs",
					"CREATE SCHEMA auth", "CREATE POLICY \"Users can upload chatbot assets\"");

			Migrations.rollback(db.jdbcUrl(), SU, "", "0");

			try (Connection c = db.connect()) {
				assertThat(strings(c, "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'S', 'm') ORDER BY 1"))
					.containsExactly("flyway_schema_history");
				assertThat(strings(c, "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'"))
					.isEmpty();
				assertThat(strings(c, "SELECT nspname FROM pg_namespace WHERE nspname IN ('auth', 'storage', 'extensions')")).isEmpty();
				assertThat(count(c, "SELECT count(*) FROM flyway_schema_history")).isZero();
			}

			db.migrate();
			assertThat(PgDump.schemaOnly(db.name())).isEqualTo(first);
		}
	}

	/**
	 * Each U{n} undoes exactly V{n}: a database migrated step by step up to n has the same
	 * schema as one migrated fully and rolled back step by step down to n.
	 */
	@Test
	void everyRollbackScriptUndoesExactlyItsMigration() throws SQLException {
		try (SchemaTestDatabase up = SchemaTestDatabase.empty("schema_steps_up");
				SchemaTestDatabase down = SchemaTestDatabase.migrated("schema_steps_down")) {
			List<String> versions = new ArrayList<>(List.of("0"));
			for (MigrationInfo info : Migrations.flyway(up.jdbcUrl(), SU, "").info().all()) {
				versions.add(info.getVersion().getVersion());
			}
			assertThat(versions).hasSizeGreaterThanOrEqualTo(12);

			String[] excludeHistory = { "--exclude-table=public.flyway_schema_history" };
			Map<String, String> upDumps = new LinkedHashMap<>();
			upDumps.put("0", PgDump.schemaOnly(up.name(), excludeHistory));
			for (String version : versions.subList(1, versions.size())) {
				Migrations.configuration(up.jdbcUrl(), SU, "").target(version).load().migrate();
				upDumps.put(version, PgDump.schemaOnly(up.name(), excludeHistory));
			}

			List<String> reversed = new ArrayList<>(versions);
			java.util.Collections.reverse(reversed);
			for (String version : reversed) {
				Migrations.rollback(down.jdbcUrl(), SU, "", version);
				assertThat(PgDump.schemaOnly(down.name(), excludeHistory)).as("schema at version %s", version)
					.isEqualTo(upDumps.get(version));
			}
		}
	}

	@Test
	void aMissingRollbackScriptStopsTheRollbackBeforeAnythingChanges() throws SQLException {
		try (SchemaTestDatabase db = SchemaTestDatabase.migrated("schema_missing_undo"); Connection c = db.connect()) {
			update(c, """
					INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
					VALUES (999, '999', 'ghost', 'SQL', 'V999__ghost.sql', 0, 'test', 0, true)""");
			long applied = count(c, "SELECT count(*) FROM flyway_schema_history");
			assertThatIllegalStateException().isThrownBy(() -> Migrations.rollback(db.jdbcUrl(), SU, "", "0"))
				.withMessageContaining("db/rollback/U999__ghost.sql");
			assertThat(count(c, "SELECT count(*) FROM flyway_schema_history")).isEqualTo(applied);
			assertThat(count(c, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'qa_pairs'")).isEqualTo(1);
		}
	}

	@Test
	void aFailingRollbackScriptStopsThereAndLeavesItsMigrationApplied() throws SQLException {
		try (SchemaTestDatabase db = SchemaTestDatabase.migrated("schema_failing_undo"); Connection c = db.connect()) {
			// An object U4 does not know depends on qa_pairs: DROP TABLE public.qa_pairs fails.
			update(c, "CREATE VIEW public.depends_on_qa_pairs WITH (security_invoker = true) AS SELECT id FROM public.qa_pairs");
			assertThatIllegalStateException().isThrownBy(() -> Migrations.rollback(db.jdbcUrl(), SU, "", "0"))
				.withMessageContaining("U4__create_qa_pairs.sql");
			// Everything newer than V4 was rolled back (each in its own transaction), V4 and older stay.
			assertThat(strings(c, "SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
				.containsExactly("1", "2", "3", "4");
			assertThat(count(c, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('qa_pairs', 'embedding_models', 'workspaces')"))
				.isEqualTo(3);
			assertThat(count(c, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'conversations'")).isZero();
			assertThat(count(c, "SELECT count(*) FROM pg_proc WHERE proname = 'search_qa_pairs'")).isEqualTo(1);

			// Remove the obstacle: rolling back and migrating again both work.
			update(c, "DROP VIEW public.depends_on_qa_pairs");
			Migrations.rollback(db.jdbcUrl(), SU, "", "0");
			db.migrate();
			assertThat(count(c, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'qa_gaps'")).isEqualTo(1);
		}
	}

}
