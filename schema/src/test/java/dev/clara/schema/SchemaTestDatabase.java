package dev.clara.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.testing.LocalPostgres;
import dev.clara.testing.TestDatabase;

/**
 * A test class's own database on the local cluster, migrated by {@link Migrations}, with
 * helpers that act the way PostgREST does (role + {@code request.jwt.claims} per transaction).
 */
final class SchemaTestDatabase implements AutoCloseable {

	/** The PostgREST roles a request can run as. */
	enum Role {

		AUTHENTICATED("authenticated"), ANON("anon"), SERVICE_ROLE("service_role");

		final String roleName;

		Role(String roleName) {
			this.roleName = roleName;
		}

	}

	private final TestDatabase database;

	private SchemaTestDatabase(TestDatabase database) {
		this.database = database;
	}

	/** A new empty database (not migrated). */
	static SchemaTestDatabase empty(String purpose) {
		return new SchemaTestDatabase(LocalPostgres.createDatabase(purpose));
	}

	/** A new database with every migration applied. */
	static SchemaTestDatabase migrated(String purpose) {
		return new SchemaTestDatabase(LocalPostgres.createMigratedDatabase(purpose, Migrations::migrate));
	}

	void migrate() {
		Migrations.migrate(jdbcUrl(), LocalPostgres.superuser(), "");
	}

	String name() {
		return this.database.name();
	}

	String jdbcUrl() {
		return this.database.jdbcUrl();
	}

	Connection connect() throws SQLException {
		return this.database.connectAsSuperuser();
	}

	@Override
	public void close() {
		this.database.close();
	}

	// ───────────────────────────── fixtures ─────────────────────────────

	/** Signs a user up (an auth.users row; the trigger creates profile and workspace). */
	static UUID createUser(Connection connection, String email) throws SQLException {
		UUID id = UUID.randomUUID();
		update(connection, "INSERT INTO auth.users (id, email) VALUES (?, ?)", id, email);
		return id;
	}

	static UUID workspaceOf(Connection connection, UUID owner) throws SQLException {
		return (UUID) single(connection, "SELECT id FROM public.workspaces WHERE owner_id = ?", owner);
	}

	// ───────────────────────────── PostgREST-style requests ─────────────────────────────

	/**
	 * In the connection's current transaction: {@code SET LOCAL ROLE} and the JWT claims as
	 * PostgREST sets them ({@code set_config('request.jwt.claims', …, true)}). {@code sub} may be
	 * null (anon, service_role).
	 */
	static void actAs(Connection connection, Role role, UUID sub) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("SET LOCAL ROLE " + role.roleName);
		}
		String claims = (sub == null) ? "{\"role\":\"" + role.roleName + "\"}"
				: "{\"sub\":\"" + sub + "\",\"role\":\"" + role.roleName + "\"}";
		single(connection, "SELECT set_config('request.jwt.claims', ?, true)", claims);
	}

	/** Runs {@code work} in a transaction that is always rolled back. */
	static <T> T inRolledBackTransaction(Connection connection, SqlWork<T> work) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		connection.setAutoCommit(false);
		try {
			return work.run(connection);
		}
		finally {
			connection.rollback();
			connection.setAutoCommit(autoCommit);
		}
	}

	@FunctionalInterface
	interface SqlWork<T> {

		T run(Connection connection) throws SQLException;

	}

	@FunctionalInterface
	interface SqlStatement {

		void run() throws SQLException;

	}

	/** The SQLSTATE the statement failed with, or null if it succeeded. */
	static String sqlStateOf(Connection connection, SqlStatement statement) throws SQLException {
		// A failed statement aborts the transaction: fence it with a savepoint when in one.
		if (connection.getAutoCommit()) {
			try {
				statement.run();
				return null;
			}
			catch (SQLException ex) {
				return ex.getSQLState();
			}
		}
		var savepoint = connection.setSavepoint();
		try {
			statement.run();
			connection.releaseSavepoint(savepoint);
			return null;
		}
		catch (SQLException ex) {
			connection.rollback(savepoint);
			return ex.getSQLState();
		}
	}

	// ───────────────────────────── small JDBC helpers ─────────────────────────────

	static int update(Connection connection, String sql, Object... params) throws SQLException {
		try (PreparedStatement statement = prepare(connection, sql, params)) {
			return statement.executeUpdate();
		}
	}

	static Object single(Connection connection, String sql, Object... params) throws SQLException {
		try (PreparedStatement statement = prepare(connection, sql, params); ResultSet rs = statement.executeQuery()) {
			return rs.next() ? rs.getObject(1) : null;
		}
	}

	static long count(Connection connection, String sql, Object... params) throws SQLException {
		Object value = single(connection, sql, params);
		return (value == null) ? 0 : ((Number) value).longValue();
	}

	static List<List<Object>> rows(Connection connection, String sql, Object... params) throws SQLException {
		List<List<Object>> rows = new ArrayList<>();
		try (PreparedStatement statement = prepare(connection, sql, params); ResultSet rs = statement.executeQuery()) {
			int columns = rs.getMetaData().getColumnCount();
			while (rs.next()) {
				List<Object> row = new ArrayList<>(columns);
				for (int i = 1; i <= columns; i++) {
					row.add(rs.getObject(i));
				}
				rows.add(row);
			}
		}
		return rows;
	}

	static List<String> strings(Connection connection, String sql, Object... params) throws SQLException {
		List<String> values = new ArrayList<>();
		for (List<Object> row : rows(connection, sql, params)) {
			values.add(String.valueOf(row.get(0)));
		}
		return values;
	}

	static void execute(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int i = 0; i < params.length; i++) {
			statement.setObject(i + 1, params[i]);
		}
		return statement;
	}

}
