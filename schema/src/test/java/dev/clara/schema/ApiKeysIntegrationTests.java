package dev.clara.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.clara.schema.SchemaTestDatabase.actAs;
import static dev.clara.schema.SchemaTestDatabase.count;
import static dev.clara.schema.SchemaTestDatabase.createUser;
import static dev.clara.schema.SchemaTestDatabase.inRolledBackTransaction;
import static dev.clara.schema.SchemaTestDatabase.single;
import static dev.clara.schema.SchemaTestDatabase.sqlStateOf;
import static dev.clara.schema.SchemaTestDatabase.strings;
import static dev.clara.schema.SchemaTestDatabase.update;
import static dev.clara.schema.SchemaTestDatabase.workspaceOf;
import static org.assertj.core.api.Assertions.assertThat;

/** At most one active default LLM key per workspace; set_default_api_key swaps atomically. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiKeysIntegrationTests {

	private static final String INSERT_KEY = """
			INSERT INTO api_keys (workspace_id, provider, model, encrypted_key, key_id, key_last4, label, is_default, is_active)
			VALUES (?, 'openai', 'gpt-4o-mini', '0a1b2c:3d4e5f:6a7b8c', 'master-2026', 'k9Zx', ?, ?, ?) RETURNING id""";

	private SchemaTestDatabase db;

	private Connection connection;

	private UUID owner;

	private UUID workspace;

	private UUID otherUser;

	@BeforeAll
	void setUp() throws SQLException {
		this.db = SchemaTestDatabase.migrated("schema_api_keys");
		this.connection = this.db.connect();
		this.owner = createUser(this.connection, "keys@example.test");
		this.workspace = workspaceOf(this.connection, this.owner);
		this.otherUser = createUser(this.connection, "keys-other@example.test");
	}

	@BeforeEach
	void noKeys() throws SQLException {
		update(this.connection, "DELETE FROM api_keys");
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.connection.close();
		this.db.close();
	}

	private UUID key(String label, boolean isDefault, boolean active) throws SQLException {
		return (UUID) single(this.connection, INSERT_KEY, this.workspace, label, isDefault, active);
	}

	private List<String> defaults() throws SQLException {
		return strings(this.connection, "SELECT label FROM api_keys WHERE workspace_id = ? AND is_default AND is_active ORDER BY label", this.workspace);
	}

	@Test
	void theDatabaseRefusesASecondActiveDefault() throws SQLException {
		key("a", true, true);
		assertThat(sqlStateOf(this.connection, () -> key("b", true, true))).isEqualTo("23505");
		UUID c = key("c", false, true);
		assertThat(sqlStateOf(this.connection, () -> update(this.connection, "UPDATE api_keys SET is_default = true WHERE id = ?", c)))
			.isEqualTo("23505");
		// an inactive default does not count; another workspace's default neither
		key("d", true, false);
		UUID otherWs = workspaceOf(this.connection, this.otherUser);
		single(this.connection, INSERT_KEY, otherWs, "other", true, true);
		assertThat(defaults()).containsExactly("a");
	}

	@Test
	void setDefaultApiKeySwapsAsTheOwner() throws SQLException {
		UUID a = key("a", true, true);
		UUID b = key("b", false, true);
		inRolledBackTransaction(this.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.owner);
			single(c, "SELECT set_default_api_key(?)", b);
			assertThat(strings(c, "SELECT id FROM api_keys WHERE is_default")).containsExactly(b.toString());
			single(c, "SELECT set_default_api_key(?)", b); // idempotent
			single(c, "SELECT set_default_api_key(?)", a);
			assertThat(strings(c, "SELECT id FROM api_keys WHERE is_default")).containsExactly(a.toString());
			return null;
		});
	}

	@Test
	void aFailedSwapChangesNothing() throws SQLException {
		key("a", true, true);
		UUID inactive = key("b", false, false);
		assertThat(sqlStateOf(this.connection, () -> single(this.connection, "SELECT set_default_api_key(?)", inactive)))
			.isEqualTo("55000");
		assertThat(sqlStateOf(this.connection, () -> single(this.connection, "SELECT set_default_api_key(?)", UUID.randomUUID())))
			.isEqualTo("P0002");
		assertThat(defaults()).containsExactly("a");
	}

	@Test
	void anotherUserCannotSwapTheOwnersKeys() throws SQLException {
		key("a", true, true);
		UUID b = key("b", false, true);
		inRolledBackTransaction(this.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.otherUser);
			assertThat(sqlStateOf(c, () -> single(c, "SELECT set_default_api_key(?)", b))).isEqualTo("P0002");
			return null;
		});
		inRolledBackTransaction(this.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.ANON, null);
			assertThat(sqlStateOf(c, () -> single(c, "SELECT set_default_api_key(?)", b))).isEqualTo("42501");
			return null;
		});
		assertThat(defaults()).containsExactly("a");
	}

	@Test
	void concurrentSwapsAlwaysLeaveExactlyOneDefault() throws Exception {
		List<UUID> keys = new ArrayList<>();
		keys.add(key("k0", true, true));
		for (int i = 1; i < 6; i++) {
			keys.add(key("k" + i, false, true));
		}
		int threads = 12;
		CyclicBarrier start = new CyclicBarrier(threads);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> results = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				UUID target = keys.get(t % keys.size());
				results.add(pool.submit(() -> {
					try (Connection c = this.db.connect()) {
						c.setAutoCommit(false);
						actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.owner);
						start.await(30, TimeUnit.SECONDS);
						for (int round = 0; round < 5; round++) {
							single(c, "SELECT set_default_api_key(?)", target);
							// inside the transaction, exactly one default is visible at any point
							assertThat(count(c, "SELECT count(*) FROM api_keys WHERE is_default AND is_active")).isEqualTo(1);
							c.commit();
							actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.owner);
						}
						c.commit();
					}
					return null;
				}));
			}
			for (Future<?> result : results) {
				result.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(defaults()).hasSize(1);
	}

}
