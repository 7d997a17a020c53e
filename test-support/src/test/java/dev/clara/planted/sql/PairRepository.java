package dev.clara.planted.sql;

import java.sql.Connection;
import java.sql.SQLException;

import org.springframework.stereotype.Repository;

/** Allowed: JDBC inside a repository, also in a lambda. */
@Repository
public class PairRepository {

	public Runnable count(Connection connection) {
		return () -> {
			try (var statement = connection.prepareStatement("SELECT 1")) {
				statement.execute();
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		};
	}

}
