package dev.clara.schema;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.text.SimpleDateFormat;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The schema command ({@code java -jar schema/target/schema-exec.jar <command>}):
 *
 * <pre>
 * migrate                 apply pending migrations
 * rollback [--target N]   roll back to version N (default: undo the latest migration; 0 = all)
 * seed-demo               load the development seed (idempotent)
 * info                    list migrations and their state
 * </pre>
 *
 * Connection from {@code CLARA_DATABASE_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:54329/clara}), {@code CLARA_DATABASE_USER} (default
 * {@code postgres}) and {@code CLARA_DATABASE_PASSWORD} (default empty). Exit status 0 on success,
 * 1 on any failure (with the reason on stderr, usage errors included).
 */
public final class SchemaCommand {

	static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:54329/clara";

	static final String DEFAULT_USER = "postgres";

	private static final String USAGE = """
			usage: schema <command>
			  migrate                 apply pending migrations
			  rollback [--target N]   roll back to version N (default: undo only the latest migration; 0 = everything)
			  seed-demo               load the development seed data (idempotent)
			  info                    list migrations and their state
			environment: CLARA_DATABASE_URL (default %s), CLARA_DATABASE_USER (default %s), CLARA_DATABASE_PASSWORD
			""".formatted(DEFAULT_URL, DEFAULT_USER);

	private SchemaCommand() {
	}

	public static void main(String[] args) {
		System.exit(run(args, System.getenv(), System.out, System.err));
	}

	/** Runs one command and returns the process exit status. */
	static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
		if (args.length == 0 || "help".equals(args[0]) || "--help".equals(args[0]) || "-h".equals(args[0])) {
			(args.length == 0 ? err : out).print(USAGE);
			return args.length == 0 ? 1 : 0;
		}
		String url = env.getOrDefault("CLARA_DATABASE_URL", DEFAULT_URL);
		String user = env.getOrDefault("CLARA_DATABASE_USER", DEFAULT_USER);
		String password = env.getOrDefault("CLARA_DATABASE_PASSWORD", "");
		String where = redact(url) + " as " + user;
		try {
			switch (args[0]) {
				case "migrate" -> {
					expectNoMoreArguments(args, 1);
					out.println("Migrating " + where);
					MigrateResult result = Migrations.migrateWithResult(url, user, password);
					for (MigrateOutput migration : result.migrations) {
						out.println("  applied V" + migration.version + " " + migration.description);
					}
					out.println(result.migrationsExecuted == 0
							? "Schema is up to date at version " + result.initialSchemaVersion
							: "Migrated to version " + result.targetSchemaVersion + " (" + result.migrationsExecuted
									+ " migration" + (result.migrationsExecuted == 1 ? "" : "s") + ")");
				}
				case "rollback" -> {
					String target = rollbackTarget(args, url, user, password);
					out.println("Rolling back " + where + " to version " + target);
					List<Migrations.AppliedMigration> rolledBack = Migrations.rollbackWithResult(url, user, password,
							target);
					for (Migrations.AppliedMigration migration : rolledBack) {
						out.println("  rolled back V" + migration.version() + " with " + migration.rollbackScript());
					}
					out.println(rolledBack.isEmpty() ? "Nothing to roll back"
							: "Rolled back " + rolledBack.size() + " migration" + (rolledBack.size() == 1 ? "" : "s"));
				}
				case "seed-demo" -> {
					expectNoMoreArguments(args, 1);
					out.println("Seeding demo data into " + where);
					Migrations.seedDemo(url, user, password);
					out.println("Demo owner demo@clara.local (password clara-demo), workspace "
							+ "00000000-0000-0000-0000-00000000c1a4");
				}
				case "info" -> {
					expectNoMoreArguments(args, 1);
					out.println("Migrations of " + where);
					info(out, url, user, password);
				}
				default -> throw new UsageException("unknown command '" + args[0] + "'");
			}
			return 0;
		}
		catch (UsageException ex) {
			err.println("schema: " + ex.getMessage());
			err.print(USAGE);
			return 1;
		}
		catch (RuntimeException ex) {
			err.println("schema: error: " + describe(ex).replace(password.isEmpty() ? "\0" : password, "***"));
			return 1;
		}
	}

	private static String rollbackTarget(String[] args, String url, String user, String password) {
		if (args.length == 3 && "--target".equals(args[1])) {
			if (!args[2].matches("[0-9]+([._][0-9]+)*")) {
				throw new UsageException("--target needs a version number, got '" + args[2] + "'");
			}
			return args[2];
		}
		if (args.length != 1) {
			throw new UsageException("usage: rollback [--target N]");
		}
		// Default: undo only the latest applied migration.
		try (Connection connection = DriverManager.getConnection(url, user, password)) {
			List<Migrations.AppliedMigration> applied = Migrations.applied(connection);
			return applied.size() < 2 ? "0" : applied.get(1).version().getVersion();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	private static void info(PrintStream out, String url, String user, String password) {
		SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss");
		out.printf("  %-8s %-40s %-10s %-20s %s%n", "version", "description", "state", "installed on", "rollback script");
		for (MigrationInfo migration : Migrations.flyway(url, user, password).info().all()) {
			String version = migration.getVersion() == null ? "" : migration.getVersion().getVersion();
			String rollback = migration.getScript() == null ? "" : migration.getScript().replaceFirst("^V", "U");
			boolean present = Migrations.class.getClassLoader().getResource(Migrations.ROLLBACK_LOCATION + rollback) != null;
			out.printf("  %-8s %-40s %-10s %-20s %s%n", version, migration.getDescription(), migration.getState(),
					migration.getInstalledOn() == null ? "" : format.format(migration.getInstalledOn()),
					present ? rollback : "MISSING " + rollback);
		}
	}

	private static void expectNoMoreArguments(String[] args, int expected) {
		if (args.length != expected) {
			throw new UsageException("unexpected arguments after '" + args[0] + "'");
		}
	}

	/** The JDBC URL without a password parameter. */
	static String redact(String url) {
		return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
	}

	private static String describe(Throwable ex) {
		StringBuilder message = new StringBuilder(String.valueOf(ex.getMessage()));
		Throwable cause = ex.getCause();
		while (cause != null && cause != cause.getCause()) {
			if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
				message.append("\n  caused by: ").append(cause.getMessage());
			}
			cause = cause.getCause();
		}
		return message.toString();
	}

	private static final class UsageException extends RuntimeException {

		UsageException(String message) {
			super(message);
		}

	}

}
