package dev.clara.testing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A database of one test class's own on the local cluster; closing it drops it.
 *
 * @param name the database name
 * @param jdbcUrl its JDBC URL (connect as {@link LocalPostgres#superuser()})
 */
public record TestDatabase(String name, String jdbcUrl) implements AutoCloseable {

	public Connection connectAsSuperuser() throws SQLException {
		return LocalPostgres.connectAsSuperuser(this.name);
	}

	@Override
	public void close() {
		LocalPostgres.dropDatabase(this.name);
	}

}
