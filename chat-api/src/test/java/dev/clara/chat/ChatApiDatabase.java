package dev.clara.chat;

import dev.clara.schema.Migrations;
import dev.clara.testing.LocalPostgres;
import dev.clara.testing.TestDatabase;

/**
 * One migrated database for this module's integration tests, made once per test JVM. Tests never
 * share rows: each makes its own owners and workspaces.
 */
public final class ChatApiDatabase {

	private static TestDatabase database;

	private ChatApiDatabase() {
	}

	public static synchronized TestDatabase get() {
		if (database == null) {
			database = LocalPostgres.createMigratedDatabase("chat_api", Migrations::migrate);
			TestDatabase created = database;
			Runtime.getRuntime().addShutdownHook(new Thread(created::close));
		}
		return database;
	}

}
