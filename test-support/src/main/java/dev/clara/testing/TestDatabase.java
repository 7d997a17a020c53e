package dev.clara.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A database of one test class's own on the local cluster; closing it drops it.
 */
public final class TestDatabase implements AutoCloseable {

	private final String name;

	private final String jdbcUrl;

	private HikariDataSource pool;

	TestDatabase(String name, String jdbcUrl) {
		this.name = name;
		this.jdbcUrl = jdbcUrl;
	}

	/** The database name. */
	public String name() {
		return this.name;
	}

	/** Its JDBC URL (connect as {@link LocalPostgres#superuser()}). */
	public String jdbcUrl() {
		return this.jdbcUrl;
	}

	/**
	 * A small connection pool on this database, as the superuser, the same one on every call. Pooled
	 * because fixtures write hundreds of rows one statement at a time: a new backend per statement
	 * costs more than the statement, and on a busy 2-core machine it was most of a test's time.
	 */
	public synchronized DataSource dataSource() {
		if (this.pool == null) {
			HikariConfig config = new HikariConfig();
			config.setJdbcUrl(this.jdbcUrl);
			config.setUsername(LocalPostgres.superuser());
			config.setPoolName("test-" + this.name);
			config.setMaximumPoolSize(4);
			config.setMinimumIdle(0);
			this.pool = new HikariDataSource(config);
		}
		return this.pool;
	}

	public Connection connectAsSuperuser() throws SQLException {
		return LocalPostgres.connectAsSuperuser(this.name);
	}

	/**
	 * A new owner signs up (an {@code auth.users} row) and the migrated schema gives them their
	 * workspace; returns the workspace's id.
	 */
	public UUID newOwnerWorkspace() {
		UUID owner = UUID.randomUUID();
		try (Connection connection = connectAsSuperuser();
				PreparedStatement signUp = connection.prepareStatement("INSERT INTO auth.users (id, email) VALUES (?, ?)");
				PreparedStatement workspace = connection
					.prepareStatement("SELECT id FROM public.workspaces WHERE owner_id = ?")) {
			signUp.setObject(1, owner);
			signUp.setString(2, owner + "@example.test");
			signUp.executeUpdate();
			workspace.setObject(1, owner);
			try (ResultSet rs = workspace.executeQuery()) {
				if (!rs.next()) {
					throw new IllegalStateException("Signing up " + owner + " made no workspace in " + this.name);
				}
				return rs.getObject(1, UUID.class);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Signing up an owner in " + this.name + " failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public synchronized void close() {
		if (this.pool != null) {
			this.pool.close();
		}
		LocalPostgres.dropDatabase(this.name);
	}

}
