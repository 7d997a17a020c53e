package dev.clara.chat.owner.db;

import java.util.UUID;
import java.util.function.Function;

import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.web.OwnerProblems;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs owner work the way PostgREST runs a Supabase request: in ONE transaction that first does
 * {@code SET LOCAL ROLE authenticated} and puts the request's verified claims into
 * {@code request.jwt.claims} (transaction-local), so that {@code auth.uid()} and the tables'
 * row-level security policies decide what the owner sees and may change. Owner code never
 * filters by workspace for isolation: a row of another workspace is simply not there.
 *
 * <p>Both settings are {@code LOCAL}: they end with the transaction (commit or rollback), so a
 * pooled connection never carries one request's identity into the next.
 *
 * <p>A repository: the owner API's one way into the database, whose own SQL sets the identity.
 */
@Repository
public class OwnerDb {

	private static final String ENTER = """
			SELECT set_config('request.jwt.claims', :claims, true),
			       set_config('request.jwt.claim.sub', :sub, true),
			       set_config('request.jwt.claim.role', 'authenticated', true),
			       set_config('statement_timeout', :timeout, true)
			""";

	// no WHERE: row-level security leaves exactly the owner's one workspace
	private static final String WORKSPACE_ID = "SELECT id FROM workspaces";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	private final String statementTimeout;

	OwnerDb(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json, OwnerProperties properties) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.json = json;
		this.statementTimeout = properties.statementTimeout().toMillis() + "ms";
	}

	/** Runs {@code work} as {@code owner} under row-level security, in one transaction. */
	public <T> T as(OwnerPrincipal owner, Function<JdbcClient, T> work) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			// joining a caller's transaction would run the caller's statements as this owner, or
			// this owner's after the caller's identity: never nest
			throw new IllegalStateException("owner work must start its own transaction");
		}
		return this.transactions.execute(status -> {
			this.jdbc.sql("SET LOCAL ROLE authenticated").update();
			this.jdbc.sql(ENTER)
				.param("claims", this.json.writeValueAsString(owner.claims()))
				.param("sub", owner.userId().toString())
				.param("timeout", this.statementTimeout)
				.query()
				.singleRow();
			return work.apply(this.jdbc);
		});
	}

	/** As {@link #as}, for work that returns nothing. */
	public void run(OwnerPrincipal owner, java.util.function.Consumer<JdbcClient> work) {
		as(owner, sql -> {
			work.accept(sql);
			return null;
		});
	}

	/** The signed-in owner's workspace, inside {@link #as}; 404 when they have none. */
	public static UUID workspaceId(JdbcClient sql) {
		return sql.sql(WORKSPACE_ID).query(UUID.class).optional().orElseThrow(() -> OwnerProblems.notFound("workspace"));
	}

}
