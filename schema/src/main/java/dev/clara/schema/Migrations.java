package dev.clara.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Clara's schema: Flyway migrations ({@code classpath:db/migration}), the project's own rollback
 * runner ({@code classpath:db/rollback/U{n}__{description}.sql}, Flyway's free edition has no
 * undo) and the development seed ({@code classpath:db/seed/demo.sql}).
 *
 * <p>
 * Run as a role that owns the database (a superuser the first time on a fresh plain PostgreSQL
 * cluster, so that V1 can create the Supabase roles and the vector extension; see
 * {@code schema/README.md}).
 */
public final class Migrations {

	/** Where the versioned migrations live. */
	public static final String MIGRATION_LOCATION = "classpath:db/migration";

	/** Classpath folder of the rollback scripts. */
	public static final String ROLLBACK_LOCATION = "db/rollback/";

	/** Classpath resource of the development seed. */
	public static final String DEMO_SEED = "db/seed/demo.sql";

	/** Flyway's history table, in schema {@code public}. */
	public static final String HISTORY_TABLE = "flyway_schema_history";

	private static final Pattern VERSIONED_SCRIPT = Pattern.compile("V([0-9][0-9_.]*)__(.+)\\.sql");

	private Migrations() {
	}

	/** Applies every pending migration. */
	public static void migrate(String jdbcUrl, String user, String password) {
		migrateWithResult(jdbcUrl, user, password);
	}

	/**
	 * Rolls back every applied migration newer than {@code targetVersion} ("0" = all of them),
	 * newest first, each in its own transaction that also deletes the migration's row of
	 * {@code flyway_schema_history}.
	 */
	public static void rollback(String jdbcUrl, String user, String password, String targetVersion) {
		rollbackWithResult(jdbcUrl, user, password, targetVersion);
	}

	/** Loads the development seed (demo owner, workspace and Q&A pairs); idempotent. */
	public static void seedDemo(String jdbcUrl, String user, String password) {
		try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
			try (Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("SELECT to_regclass('public.qa_pairs') IS NOT NULL")) {
				rs.next();
				if (!rs.getBoolean(1)) {
					throw new IllegalStateException("The schema is not migrated (no table public.qa_pairs): run migrate first");
				}
			}
			runScript(connection, DEMO_SEED, readResource(DEMO_SEED));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Seeding the demo data failed: " + ex.getMessage(), ex);
		}
	}

	// ───────────────────────────── internals (also used by SchemaCommand) ─────────────────────────────

	static Flyway flyway(String jdbcUrl, String user, String password) {
		return configuration(jdbcUrl, user, password).load();
	}

	static FluentConfiguration configuration(String jdbcUrl, String user, String password) {
		return Flyway.configure()
			.dataSource(jdbcUrl, user, password)
			.locations(MIGRATION_LOCATION)
			.defaultSchema("public")
			.table(HISTORY_TABLE)
			.placeholderReplacement(false)
			.validateMigrationNaming(true)
			.cleanDisabled(true);
	}

	static MigrateResult migrateWithResult(String jdbcUrl, String user, String password) {
		MigrateResult result = flyway(jdbcUrl, user, password).migrate();
		protectHistoryTable(jdbcUrl, user, password);
		return result;
	}

	/**
	 * Flyway's history table sits in {@code public}, where Supabase exposes tables through its
	 * API: give it row-level security (no policy) and no privileges for anon and authenticated,
	 * like every other table there. Done here rather than in a migration because Flyway writes to
	 * it while migrations run.
	 */
	private static void protectHistoryTable(String jdbcUrl, String user, String password) {
		String sql = """
				DO $protect$
				BEGIN
				  IF to_regclass('public.%1$s') IS NOT NULL THEN
				    IF NOT (SELECT relrowsecurity FROM pg_catalog.pg_class WHERE oid = 'public.%1$s'::regclass) THEN
				      ALTER TABLE public.%1$s ENABLE ROW LEVEL SECURITY;
				    END IF;
				    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'anon') THEN
				      REVOKE ALL ON TABLE public.%1$s FROM anon;
				    END IF;
				    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated') THEN
				      REVOKE ALL ON TABLE public.%1$s FROM authenticated;
				    END IF;
				  END IF;
				END
				$protect$""".formatted(HISTORY_TABLE);
		try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Protecting " + HISTORY_TABLE + " failed: " + ex.getMessage(), ex);
		}
	}

	/** One applied migration as the history table records it. */
	record AppliedMigration(MigrationVersion version, String script) {

		String rollbackScript() {
			Matcher matcher = VERSIONED_SCRIPT.matcher(this.script);
			if (!matcher.matches()) {
				throw new IllegalStateException("Unexpected migration script name " + this.script);
			}
			return "U" + matcher.group(1) + "__" + matcher.group(2) + ".sql";
		}

	}

	/** Rolls back and returns the migrations rolled back, newest first. */
	static List<AppliedMigration> rollbackWithResult(String jdbcUrl, String user, String password,
			String targetVersion) {
		if (targetVersion == null || targetVersion.isBlank()) {
			throw new IllegalArgumentException("A target version is required (\"0\" rolls back everything)");
		}
		MigrationVersion target = MigrationVersion.fromVersion(targetVersion.trim());
		try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
			List<AppliedMigration> toRollBack = applied(connection).stream()
				.filter((migration) -> migration.version().isNewerThan(target))
				.toList();
			// Every script must be there before anything is changed.
			List<String> scripts = new ArrayList<>();
			List<String> missing = new ArrayList<>();
			for (AppliedMigration migration : toRollBack) {
				String resource = ROLLBACK_LOCATION + migration.rollbackScript();
				if (Migrations.class.getClassLoader().getResource(resource) == null) {
					missing.add(resource);
				}
				else {
					scripts.add(resource);
				}
			}
			if (!missing.isEmpty()) {
				throw new IllegalStateException("Missing rollback scripts (nothing was rolled back): " + missing);
			}
			for (int i = 0; i < toRollBack.size(); i++) {
				AppliedMigration migration = toRollBack.get(i);
				String resource = scripts.get(i);
				runScript(connection, resource, readResource(resource), (tx) -> {
					try (PreparedStatement delete = tx
						.prepareStatement("DELETE FROM public." + HISTORY_TABLE + " WHERE version = ?")) {
						delete.setString(1, migration.version().getVersion());
						delete.executeUpdate();
					}
				});
			}
			return toRollBack;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Rollback failed: " + ex.getMessage(), ex);
		}
	}

	/** Applied versioned migrations, newest first. */
	static List<AppliedMigration> applied(Connection connection) throws SQLException {
		List<AppliedMigration> applied = new ArrayList<>();
		try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
			exists.setString(1, "public." + HISTORY_TABLE);
			try (ResultSet rs = exists.executeQuery()) {
				rs.next();
				if (!rs.getBoolean(1)) {
					return applied;
				}
			}
		}
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("SELECT version, script FROM public." + HISTORY_TABLE
						+ " WHERE version IS NOT NULL AND success")) {
			while (rs.next()) {
				applied.add(new AppliedMigration(MigrationVersion.fromVersion(rs.getString(1)), rs.getString(2)));
			}
		}
		applied.sort(Comparator.comparing(AppliedMigration::version).reversed());
		return applied;
	}

	/** Runs a whole SQL script in one transaction. */
	private static void runScript(Connection connection, String name, String sql) throws SQLException {
		runScript(connection, name, sql, (tx) -> {
		});
	}

	/** Runs a whole SQL script, then {@code andThen}, in one transaction. */
	private static void runScript(Connection connection, String name, String sql, SqlAction andThen)
			throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
			andThen.run(connection);
			connection.commit();
		}
		catch (SQLException ex) {
			connection.rollback();
			throw new SQLException(name + ": " + ex.getMessage(), ex.getSQLState(), ex);
		}
		finally {
			connection.setAutoCommit(autoCommit);
		}
	}

	@FunctionalInterface
	private interface SqlAction {

		void run(Connection connection) throws SQLException;

	}

	static String readResource(String resource) {
		try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("Missing classpath resource " + resource);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
