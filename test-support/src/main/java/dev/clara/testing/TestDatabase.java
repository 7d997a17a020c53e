package dev.clara.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.postgresql.ds.PGSimpleDataSource;
import java.util.UUID;

/**
 * A database of one test class's own on the local cluster; closing it drops it.
 *
 * @param name the database name
 * @param jdbcUrl its JDBC URL (connect as {@link LocalPostgres#superuser()})
 */
public record TestDatabase(String name, String jdbcUrl) implements AutoCloseable {

	/** A plain (unpooled) data source on this database, as the superuser. */
	public PGSimpleDataSource dataSource() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(this.jdbcUrl);
		dataSource.setUser(LocalPostgres.superuser());
		return dataSource;
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
	public void close() {
		LocalPostgres.dropDatabase(this.name);
	}

}
