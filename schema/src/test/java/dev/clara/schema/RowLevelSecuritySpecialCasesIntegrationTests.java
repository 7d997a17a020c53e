package dev.clara.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.clara.schema.RowLevelSecurityFixture.id;
import static dev.clara.schema.SchemaTestDatabase.actAs;
import static dev.clara.schema.SchemaTestDatabase.count;
import static dev.clara.schema.SchemaTestDatabase.execute;
import static dev.clara.schema.SchemaTestDatabase.inRolledBackTransaction;
import static dev.clara.schema.SchemaTestDatabase.single;
import static dev.clara.schema.SchemaTestDatabase.sqlStateOf;
import static dev.clara.schema.SchemaTestDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Row-level security beyond the access table of {@link RowLevelSecurityIntegrationTests}: what one
 * cell per table and operation cannot say (a column the owner cannot read, the signed-in visitor's
 * own conversation, which user a conversation belongs to, which object bytes belong to, the
 * workspace folders of the assets bucket) and that a request's claims end with its transaction.
 * Same data, on a database of this class's own ({@link RowLevelSecurityFixture}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowLevelSecuritySpecialCasesIntegrationTests {

	private RowLevelSecurityFixture fixture;

	@BeforeAll
	void setUp() throws SQLException {
		this.fixture = new RowLevelSecurityFixture("schema_rls_special_cases");
	}

	@AfterAll
	void tearDown() throws SQLException {
		this.fixture.close();
	}

	@Test
	void claimsDoNotOutliveTheTransactionOnAPooledConnection() throws SQLException {
		try (Connection c = this.fixture.db.connect()) {
			c.setAutoCommit(false);
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.owner);
			assertThat(single(c, "SELECT auth.uid()")).isEqualTo(this.fixture.owner);
			assertThat(single(c, "SELECT auth.role()")).isEqualTo("authenticated");
			assertThat(count(c, "SELECT count(*) FROM qa_pairs")).isEqualTo(1);
			c.commit();

			assertThat(single(c, "SELECT auth.uid()")).isNull();
			assertThat(single(c, "SELECT auth.jwt()")).isNull();
			assertThat(single(c, "SELECT coalesce(current_setting('request.jwt.claims', true), '')")).isEqualTo("");
			assertThat(single(c, "SELECT current_user")).isEqualTo("postgres");
			c.commit();

			// A failed request leaves nothing behind either.
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.otherUser);
			assertThat(count(c, "SELECT count(*) FROM qa_pairs WHERE workspace_id = ?", this.fixture.workspace)).isZero();
			assertThat(sqlStateOf(c, () -> update(c, "INSERT INTO outbox_events (workspace_id, aggregate_type, aggregate_id, event_type, payload) VALUES (gen_random_uuid(), 'a', 'b', 'c', '{}')")))
				.isEqualTo("42501");
			c.rollback();
			assertThat(single(c, "SELECT auth.uid()")).isNull();
			assertThat(single(c, "SELECT current_user")).isEqualTo("postgres");
			c.commit();
		}
	}

	@Test
	void aSignedInUserReadsTheirOwnConversationButCannotWriteIt() throws SQLException {
		inRolledBackTransaction(this.fixture.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.visitor);
			assertThat(count(c, "SELECT count(*) FROM conversations")).isEqualTo(1);
			assertThat(count(c, "SELECT count(*) FROM conversations WHERE id = ?", this.fixture.visitorConversation)).isEqualTo(1);
			assertThat(count(c, "SELECT count(*) FROM messages WHERE conversation_id = ?", this.fixture.visitorConversation))
				.isEqualTo(1);
			assertThat(update(c, "UPDATE conversations SET title = 'Mine' WHERE id = ?", this.fixture.visitorConversation)).isZero();
			assertThat(update(c, "DELETE FROM messages WHERE conversation_id = ?", this.fixture.visitorConversation)).isZero();
			assertThat(sqlStateOf(c, () -> update(c,
					"INSERT INTO conversations (workspace_id, user_id) VALUES (?, ?)", this.fixture.workspace, this.fixture.visitor)))
				.isEqualTo("42501");
			assertThat(count(c, "SELECT count(*) FROM qa_pairs")).isZero();
			assertThat(count(c, "SELECT count(*) FROM workspaces WHERE id = ?", this.fixture.workspace)).isZero();
			return null;
		});
		inRolledBackTransaction(this.fixture.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.otherUser);
			assertThat(count(c, "SELECT count(*) FROM conversations WHERE id = ?", this.fixture.visitorConversation)).isZero();
			assertThat(count(c, "SELECT count(*) FROM messages WHERE conversation_id = ?", this.fixture.visitorConversation))
				.isZero();
			return null;
		});
	}

	@Test
	void anOwnerCannotLinkAConversationToAUser() throws SQLException {
		inRolledBackTransaction(this.fixture.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.owner);
			// the visitor would read it through conversations_select_own
			assertThat(sqlStateOf(c, () -> update(c, "UPDATE conversations SET user_id = ? WHERE id = ?", this.fixture.otherUser,
					this.fixture.visitorConversation))).isEqualTo("42501");
			return null;
		});
		inRolledBackTransaction(this.fixture.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.owner);
			assertThat(sqlStateOf(c, () -> update(c,
					"INSERT INTO conversations (workspace_id, session_token, user_id) VALUES (?, 'token-linked', ?)",
					this.fixture.workspace, this.fixture.otherUser)))
				.isEqualTo("42501");
			return null;
		});
		inRolledBackTransaction(this.fixture.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.owner);
			// what an owner may do to a signed-in visitor's conversation stays possible
			assertThat(update(c, "UPDATE conversations SET title = 'Seen', is_archived = true WHERE id = ?",
					this.fixture.visitorConversation)).isEqualTo(1);
			return null;
		});
		inRolledBackTransaction(this.fixture.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.SERVICE_ROLE, null);
			assertThat(update(c, "UPDATE conversations SET user_id = ? WHERE id = ?", this.fixture.otherUser,
					this.fixture.visitorConversation)).isEqualTo(1);
			return null;
		});
	}

	@Test
	void anOwnerCannotAttachBytesToAnotherWorkspacesObject() throws SQLException {
		inRolledBackTransaction(this.fixture.connection, (c) -> {
			UUID theirs = id(c, "INSERT INTO storage.objects (bucket_id, name) VALUES ('chatbot-assets', ?) RETURNING id",
					this.fixture.otherWorkspace + "/banner.png");
			UUID mine = id(c, "INSERT INTO storage.objects (bucket_id, name) VALUES ('chatbot-assets', ?) RETURNING id",
					this.fixture.workspace + "/banner.png");
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.owner);
			String insert = "INSERT INTO storage_object_contents (object_id, workspace_id, content, content_type, sha256) "
					+ "VALUES (?, ?, '\\x89504e47', 'image/png', repeat('d', 64))";
			assertThat(sqlStateOf(c, () -> update(c, insert, theirs, this.fixture.workspace))).isEqualTo("42501");
			assertThat(update(c, insert, mine, this.fixture.workspace)).isEqualTo(1);
			return null;
		});
	}

	@Test
	void ownersCannotReadTheEncryptedKey() throws SQLException {
		inRolledBackTransaction(this.fixture.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.owner);
			assertThat(count(c, "SELECT count(*) FROM (SELECT id, key_id, key_last4, is_default FROM api_keys) k"))
				.isEqualTo(1);
			assertThat(sqlStateOf(c, () -> single(c, "SELECT encrypted_key FROM api_keys"))).isEqualTo("42501");
			assertThat(sqlStateOf(c, () -> single(c, "SELECT * FROM api_keys"))).isEqualTo("42501");
			return null;
		});
		inRolledBackTransaction(this.fixture.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.SERVICE_ROLE, null);
			assertThat(single(c, "SELECT encrypted_key FROM api_keys WHERE workspace_id = ?", this.fixture.workspace))
				.isEqualTo("00aa:11bb:22cc");
			return null;
		});
	}

	@Test
	void assetsGoOnlyIntoTheOwnersWorkspaceFolderOfTheAssetsBucket() throws SQLException {
		execute(this.fixture.connection, "INSERT INTO storage.buckets (id, name) VALUES ('private', 'private') ON CONFLICT DO NOTHING");
		inRolledBackTransaction(this.fixture.connection, (c) -> {
			actAs(c, SchemaTestDatabase.Role.AUTHENTICATED, this.fixture.owner);
			assertThat(update(c, "INSERT INTO storage.objects (bucket_id, name) VALUES ('chatbot-assets', ?)",
					this.fixture.workspace + "/icon.svg")).isEqualTo(1);
			assertThat(sqlStateOf(c, () -> update(c, "INSERT INTO storage.objects (bucket_id, name) VALUES ('chatbot-assets', ?)",
					this.fixture.otherWorkspace + "/icon.svg"))).isEqualTo("42501");
			assertThat(sqlStateOf(c, () -> update(c, "INSERT INTO storage.objects (bucket_id, name) VALUES ('chatbot-assets', 'icon.svg')")))
				.isEqualTo("42501");
			assertThat(sqlStateOf(c, () -> update(c, "INSERT INTO storage.objects (bucket_id, name) VALUES ('private', ?)",
					this.fixture.workspace + "/icon.svg"))).isEqualTo("42501");
			return null;
		});
	}

}
