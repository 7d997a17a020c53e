package dev.clara.chat.owner;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.clara.chat.owner.db.OwnerDb;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The owner API's isolation comes from PostgreSQL's row-level security, not from Java: queries
 * without any workspace filter, run through the owner API's own connection set-up, see one
 * owner's rows; the same queries as the service see everyone's. And a pooled connection never
 * keeps an owner's identity.
 */
class RowLevelSecurityIntegrationTests extends OwnerIntegrationTest {

	/** Every tenant table the owner API reads, queried with no WHERE at all. */
	static final List<String> UNFILTERED = List.of("SELECT workspace_id FROM qa_pairs",
			"SELECT workspace_id FROM qa_gaps", "SELECT workspace_id FROM conversations",
			"SELECT workspace_id FROM messages", "SELECT workspace_id FROM api_keys",
			"SELECT workspace_id FROM access_tokens", "SELECT workspace_id FROM api_usage",
			"SELECT id AS workspace_id FROM workspaces",
			"SELECT workspace_id FROM search_qa_pairs((SELECT id FROM workspaces LIMIT 1), array_fill(0.1, ARRAY[384])::real[]::extensions.vector, -1, 100, (SELECT embedding_model FROM qa_pairs WHERE embedding IS NOT NULL LIMIT 1)) s JOIN qa_pairs p ON p.id = s.id");

	@Autowired
	DataSource dataSource;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void queriesWithoutWorkspaceFilterSeeOnlyTheOwnersRows() {
		Owner a = owner();
		Owner b = owner();
		for (Owner owner : List.of(a, b)) {
			this.workspaces.pair(owner.workspaceId(), "Where is the office of " + owner.userId() + "?", "Berlin.", "general");
			gap(owner, "Do you ship to Mars, " + owner.userId() + "?");
			conversation(owner, "Hello", "Hi!");
			addWorkspaceKey(owner.workspaceId(), "sk-test-" + owner.userId());
			this.jdbc.sql("INSERT INTO access_tokens (workspace_id, name, prefix, key_hash) VALUES (:ws, 'ci', 'clara_x', :hash)")
				.param("ws", owner.workspaceId())
				.param("hash", UUID.randomUUID().toString())
				.update();
			this.jdbc.sql("INSERT INTO api_usage (workspace_id, provider, model, total_tokens) VALUES (:ws, 'openai', 'gpt-4o', 5)")
				.param("ws", owner.workspaceId())
				.update();
		}
		for (String sql : UNFILTERED) {
			List<UUID> seenByA = this.ownerDb.as(a.principal(), jdbc -> jdbc.sql(sql).query(UUID.class).list());
			assertThat(seenByA).as(sql).isNotEmpty().containsOnly(a.workspaceId());
			// the service (no role switch) sees every tenant: the difference is row-level security
			if (!sql.contains("search_qa_pairs")) {
				List<UUID> seenByService = this.jdbc.sql(sql).query(UUID.class).list();
				assertThat(seenByService).as(sql).contains(a.workspaceId(), b.workspaceId());
			}
		}
	}

	@Test
	void ownerWorkRunsAsAuthenticatedWithTheClaims() {
		Owner a = owner();
		List<String> identity = this.ownerDb.as(a.principal(), jdbc -> jdbc
			.sql("SELECT current_user || ',' || auth.uid() || ',' || auth.role() || ',' || current_setting('statement_timeout')")
			.query(String.class)
			.list());
		assertThat(identity).containsExactly("authenticated," + a.userId() + ",authenticated,15s");
	}

	@Test
	void writesIntoAnotherWorkspaceAreRefusedByThePolicies() {
		Owner a = owner();
		Owner b = owner();
		assertThatThrownBy(() -> this.ownerDb.run(a.principal(), jdbc -> jdbc
			.sql("INSERT INTO qa_pairs (workspace_id, question, answer) VALUES (:ws, 'Planted?', 'Yes.')")
			.param("ws", b.workspaceId())
			.update())).rootCause().hasMessageContaining("row-level security");
		int updated = this.ownerDb.as(a.principal(), jdbc -> jdbc.sql("UPDATE qa_gaps SET status = 'dismissed'").update());
		assertThat(updated).isZero();
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", b.workspaceId())).isZero();
	}

	@Test
	void noPooledConnectionKeepsAnOwnersIdentity() throws SQLException {
		Owner a = owner();
		for (int i = 0; i < 30; i++) {
			this.ownerDb.as(a.principal(), jdbc -> jdbc.sql("SELECT count(*) FROM qa_pairs").query(Long.class).single());
			assertThatThrownBy(() -> this.ownerDb.run(a.principal(), jdbc -> {
				jdbc.sql("SELECT 1").query(Integer.class).single();
				throw new IllegalArgumentException("rolled back");
			})).isInstanceOf(IllegalArgumentException.class);
			// and over HTTP
			assertThat(get(a.token(), "/api/owner/qa-pairs").status()).isEqualTo(200);
		}
		// take every connection the pool has, at once, and look at each one's session
		HikariDataSource pool = (HikariDataSource) this.dataSource;
		List<Connection> connections = new ArrayList<>();
		try {
			for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
				connections.add(pool.getConnection());
			}
			for (Connection connection : connections) {
				try (Statement statement = connection.createStatement();
						ResultSet row = statement.executeQuery("""
								SELECT current_user, coalesce(current_setting('request.jwt.claims', true), ''),
								       coalesce(current_setting('request.jwt.claim.sub', true), ''), auth.uid() IS NULL,
								       current_setting('statement_timeout')
								""")) {
					row.next();
					assertThat(row.getString(1)).isEqualTo("postgres");
					assertThat(row.getString(2)).isEmpty();
					assertThat(row.getString(3)).isEmpty();
					assertThat(row.getBoolean(4)).isTrue();
					assertThat(row.getString(5)).isEqualTo("0");
				}
			}
		}
		finally {
			for (Connection connection : connections) {
				connection.close();
			}
		}
	}

	@Test
	void ownerWorkNeverJoinsAnotherTransaction() {
		Owner a = owner();
		assertThatIllegalStateException().isThrownBy(() -> this.transactions.executeWithoutResult(status -> this.ownerDb
			.as(a.principal(), jdbc -> jdbc.sql("SELECT 1").query(Integer.class).single())));
	}

	@Test
	void workspaceIdComesFromRowLevelSecurity() {
		Owner a = owner();
		owner();
		assertThat(this.ownerDb.as(a.principal(), OwnerDb::workspaceId)).isEqualTo(a.workspaceId());
	}

}
