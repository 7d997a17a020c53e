package dev.clara.planted.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** Planted: JDBC outside a repository. */
public class ControllerWithSql {

	public int count(Connection connection) throws SQLException {
		try (var statement = connection.prepareStatement("SELECT 1")) {
			return statement.executeQuery().next() ? 1 : 0;
		}
	}

}
