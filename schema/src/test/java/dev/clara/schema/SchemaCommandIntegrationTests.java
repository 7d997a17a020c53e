package dev.clara.schema;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import dev.clara.testing.LocalPostgres;
import org.junit.jupiter.api.Test;

import static dev.clara.schema.SchemaTestDatabase.count;
import static dev.clara.schema.SchemaTestDatabase.rows;
import static dev.clara.schema.SchemaTestDatabase.single;
import static dev.clara.schema.SchemaTestDatabase.strings;
import static org.assertj.core.api.Assertions.assertThat;

/** The schema command (schema-exec.jar): migrate, rollback, seed-demo, info. */
class SchemaCommandIntegrationTests {

	record Run(int status, String out, String err) {
	}

	private static Run run(Map<String, String> env, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = SchemaCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void migratesSeedsReportsAndRollsBack() throws SQLException {
		try (SchemaTestDatabase db = SchemaTestDatabase.empty("schema_command"); Connection c = db.connect()) {
			Map<String, String> env = Map.of("CLARA_DATABASE_URL", db.jdbcUrl(), "CLARA_DATABASE_USER", LocalPostgres.superuser());

			Run migrate = run(env, "migrate");
			assertThat(migrate.status()).as(migrate.err()).isZero();
			assertThat(migrate.out()).contains("applied V1 create auth shim", "applied V11 create storage policies", "Migrated to version");
			String latest = strings(c, "SELECT max(version::int)::text FROM flyway_schema_history").get(0);
			assertThat(run(env, "migrate").out()).contains("Schema is up to date at version " + latest);

			Run seed = run(env, "seed-demo");
			assertThat(seed.status()).as(seed.err()).isZero();
			assertThat(run(env, "seed-demo").status()).isZero();
			assertThat(count(c, "SELECT count(*) FROM auth.users WHERE email = 'demo@clara.local'")).isEqualTo(1);
			assertThat(rows(c, "SELECT id::text, name FROM workspaces WHERE owner_id = '00000000-0000-0000-0000-0000000000d1'"))
				.containsExactly(java.util.List.of("00000000-0000-0000-0000-00000000c1a4", "Brightdesk"));
			assertThat(count(c, "SELECT count(*) FROM qa_pairs WHERE workspace_id = '00000000-0000-0000-0000-00000000c1a4' AND embedding IS NULL"))
				.isEqualTo(13);
			assertThat(count(c, "SELECT count(DISTINCT category) FROM qa_pairs WHERE workspace_id = '00000000-0000-0000-0000-00000000c1a4'"))
				.isGreaterThanOrEqualTo(6);
			assertThat(single(c, "SELECT encrypted_password = extensions.crypt('clara-demo', encrypted_password) FROM auth.users WHERE email = 'demo@clara.local'"))
				.isEqualTo(true);
			assertThat(single(c, "SELECT encrypted_password LIKE '$2a$%' FROM auth.users WHERE email = 'demo@clara.local'")).isEqualTo(true);
			assertThat(rows(c, """
					SELECT settings->>'booking_url' IS NOT NULL, jsonb_array_length(settings->'suggested_messages'),
					       settings->'confidence_threshold' = 'null'::jsonb, settings->'allowed_origins' = '[]'::jsonb
					  FROM workspaces WHERE id = '00000000-0000-0000-0000-00000000c1a4'"""))
				.containsExactly(java.util.List.of(true, 3, true, true));

			Run info = run(env, "info");
			assertThat(info.status()).isZero();
			assertThat(info.out()).contains("create qa pairs", "SUCCESS", "U4__create_qa_pairs.sql").doesNotContain("MISSING");

			Run oneStep = run(env, "rollback");
			assertThat(oneStep.status()).as(oneStep.err()).isZero();
			assertThat(oneStep.out()).contains("Rolled back 1 migration");
			assertThat(count(c, "SELECT count(*) FROM flyway_schema_history WHERE version = ?", latest)).isZero();

			Run toNine = run(env, "rollback", "--target", "9");
			assertThat(toNine.status()).as(toNine.err()).isZero();
			assertThat(strings(c, "SELECT max(version::int)::text FROM flyway_schema_history")).containsExactly("9");
			assertThat(count(c, "SELECT count(*) FROM pg_tables WHERE tablename = 'outbox_events'")).isZero();

			Run all = run(env, "rollback", "--target", "0");
			assertThat(all.status()).isZero();
			assertThat(all.out()).contains("rolled back V1 with U1__create_auth_shim.sql");
			assertThat(run(env, "rollback", "--target", "0").out()).contains("Nothing to roll back");
		}
	}

	@Test
	void failsClearlyWithoutPrintingThePassword() {
		Map<String, String> env = Map.of("CLARA_DATABASE_URL", LocalPostgres.jdbcUrl("clara_test_no_such_database") + "?password=url-secret",
				"CLARA_DATABASE_USER", LocalPostgres.superuser(), "CLARA_DATABASE_PASSWORD", "env-secret-pw");
		Run migrate = run(env, "migrate");
		assertThat(migrate.status()).isEqualTo(1);
		assertThat(migrate.err()).contains("schema: error:", "clara_test_no_such_database");
		assertThat(migrate.out() + migrate.err()).doesNotContain("url-secret").doesNotContain("env-secret-pw");

		assertThat(run(env, "frobnicate").status()).isEqualTo(1);
		assertThat(run(env, "rollback", "--target", "latest").err()).contains("--target needs a version number");
		assertThat(run(Map.of()).status()).isEqualTo(1);
		assertThat(run(Map.of(), "--help").out()).contains("CLARA_DATABASE_URL");
	}

	@Test
	void seedDemoRefusesAnUnmigratedDatabase() {
		try (SchemaTestDatabase db = SchemaTestDatabase.empty("schema_command_seed")) {
			Run seed = run(Map.of("CLARA_DATABASE_URL", db.jdbcUrl()), "seed-demo");
			assertThat(seed.status()).isEqualTo(1);
			assertThat(seed.err()).contains("run migrate first");
		}
	}

}
