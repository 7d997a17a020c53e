package dev.clara.schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.clara.testing.LocalPostgres;

/** {@code pg_dump --schema-only} of a test database, normalised for comparison. */
final class PgDump {

	static final String PG_DUMP = System.getProperty("clara.test.pg_dump", "/usr/lib/postgresql/15/bin/pg_dump");

	private PgDump() {
	}

	/**
	 * The schema-only dump (owners and privileges included), without the lines that differ
	 * between two dumps of the same schema ({@code \restrict} keys).
	 */
	static String schemaOnly(String database, String... extraArguments) {
		List<String> command = new ArrayList<>(List.of(PG_DUMP, "--schema-only", "-h", "127.0.0.1", "-p",
				String.valueOf(LocalPostgres.port()), "-U", LocalPostgres.superuser(), "-d", database));
		command.addAll(List.of(extraArguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("pg_dump failed: " + err);
			}
			return out.lines()
				.filter((line) -> !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict"))
				.collect(Collectors.joining("\n"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + PG_DUMP, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The dump split into its objects (pg_dump's "-- Name: ...; Type: ...;" sections). */
	static List<String> objects(String dump) {
		List<String> objects = new ArrayList<>();
		for (String section : dump.split("\n--\n-- ")) {
			if (section.startsWith("Name: ")) {
				objects.add(section.strip());
			}
		}
		return objects;
	}

}
