package dev.clara.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL cluster that {@code ./clara} starts. Each test class takes a database of its
 * own, so tests never touch the {@code clara} database a running stack uses.
 */
public final class LocalPostgres {

	/** Prefix of every test database; {@code ./clara test} drops leftovers with it. */
	public static final String TEST_DATABASE_PREFIX = "clara_test_";

	private LocalPostgres() {
	}

	public static int port() {
		return Integer.parseInt(System.getProperty("clara.test.pg.port",
				System.getenv().getOrDefault("CLARA_PG_PORT", "54329")));
	}

	public static String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
	}

	/** The cluster's superuser; the local cluster trusts loopback connections. */
	public static String superuser() {
		return "postgres";
	}

	public static Connection connectAsSuperuser(String database) throws SQLException {
		return DriverManager.getConnection(jdbcUrl(database), superuser(), "");
	}

	/**
	 * Creates an empty database named after the caller, with a random suffix so that reruns and
	 * parallel modules never collide.
	 */
	public static TestDatabase createDatabase(String purpose) {
		String name = TEST_DATABASE_PREFIX + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_"
				+ UUID.randomUUID().toString().substring(0, 8);
		execute("postgres", "CREATE DATABASE " + name);
		return new TestDatabase(name, jdbcUrl(name));
	}

	/**
	 * Creates a database as {@link #createDatabase(String)} does and applies Clara's migrations to
	 * it as the superuser; drops it again when migrating fails.
	 */
	public static TestDatabase createMigratedDatabase(String purpose, Migrator migrator) {
		TestDatabase database = createDatabase(purpose);
		try {
			migrator.migrate(database.jdbcUrl(), superuser(), "");
		}
		catch (RuntimeException | Error ex) {
			database.close();
			throw ex;
		}
		return database;
	}

	/**
	 * Applies the schema: {@code Migrations::migrate} of the schema module, passed in because the
	 * schema module's own tests use this one (a dependency on it would be a cycle).
	 */
	@FunctionalInterface
	public interface Migrator {

		void migrate(String jdbcUrl, String user, String password);

	}

	static void dropDatabase(String name) {
		execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
	}

	private static void execute(String database, String sql) {
		try (Connection connection = connectAsSuperuser(database); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Is the local stack up (./clara up, or ./clara test)? " + sql + " failed: "
					+ ex.getMessage(), ex);
		}
	}

}
