package dev.clara.relay.core;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Host, port, database and connection parameters of a PostgreSQL JDBC URL
 * ({@code jdbc:postgresql://host:port/database?sslmode=require}), which is how every Clara
 * service is configured; Debezium wants them as separate properties.
 *
 * @param host first host of the URL
 * @param port its port (5432 when absent)
 * @param database database name
 * @param parameters query parameters, decoded
 */
public record PostgresAddress(String host, int port, String database, Map<String, String> parameters) {

	private static final String PREFIX = "jdbc:postgresql://";

	public static PostgresAddress parse(String jdbcUrl) {
		if (jdbcUrl == null || !jdbcUrl.startsWith(PREFIX)) {
			throw new IllegalArgumentException("Not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): " + jdbcUrl);
		}
		String rest = jdbcUrl.substring(PREFIX.length());
		String query = "";
		int q = rest.indexOf('?');
		if (q >= 0) {
			query = rest.substring(q + 1);
			rest = rest.substring(0, q);
		}
		int slash = rest.indexOf('/');
		if (slash < 0 || slash == rest.length() - 1) {
			throw new IllegalArgumentException("The JDBC URL names no database: " + jdbcUrl);
		}
		String hosts = rest.substring(0, slash);
		String database = URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
		String first = hosts.split(",")[0];
		String host;
		int port = 5432;
		if (first.startsWith("[")) { // IPv6 literal
			int end = first.indexOf(']');
			host = first.substring(1, end);
			if (end + 1 < first.length() && first.charAt(end + 1) == ':') {
				port = Integer.parseInt(first.substring(end + 2));
			}
		}
		else {
			int colon = first.lastIndexOf(':');
			host = (colon >= 0) ? first.substring(0, colon) : first;
			if (colon >= 0) {
				port = Integer.parseInt(first.substring(colon + 1));
			}
		}
		if (host.isEmpty()) {
			host = "localhost";
		}
		Map<String, String> parameters = new LinkedHashMap<>();
		for (String pair : query.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String key = URLDecoder.decode((eq >= 0) ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
			String value = (eq >= 0) ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
			parameters.put(key, value);
		}
		return new PostgresAddress(host, port, database, Map.copyOf(parameters));
	}

}
