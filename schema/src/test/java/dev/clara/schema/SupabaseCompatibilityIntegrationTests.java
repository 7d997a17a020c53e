package dev.clara.schema;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.pgvector.PGvector;
import dev.clara.testing.LocalPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.clara.schema.SchemaTestDatabase.actAs;
import static dev.clara.schema.SchemaTestDatabase.count;
import static dev.clara.schema.SchemaTestDatabase.execute;
import static dev.clara.schema.SchemaTestDatabase.inRolledBackTransaction;
import static dev.clara.schema.SchemaTestDatabase.single;
import static dev.clara.schema.SchemaTestDatabase.sqlStateOf;
import static dev.clara.schema.SchemaTestDatabase.strings;
import static dev.clara.schema.SchemaTestDatabase.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The migrations run as a non-superuser that owns the database, as on Supabase (where the
 * migrating role "postgres" is no superuser but a member of supabase_auth_admin and
 * supabase_storage_admin), onto a fixture that already has Supabase's auth, storage and
 * extensions schemas, roles and default privileges, and leave Supabase's objects untouched.
 */
class SupabaseCompatibilityIntegrationTests {

	private final String suffix = UUID.randomUUID().toString().substring(0, 8);

	private final String owner = "clara_fx_owner_" + this.suffix;

	private final String authAdmin = "clara_fx_auth_admin_" + this.suffix;

	private final String storageAdmin = "clara_fx_storage_admin_" + this.suffix;

	private SchemaTestDatabase db;

	@BeforeEach
	void createRolesAndDatabase() throws SQLException {
		this.db = SchemaTestDatabase.empty("schema_supabase");
		try (Connection c = LocalPostgres.connectAsSuperuser("postgres")) {
			// Supabase's API roles are cluster-wide; a previous migration on this cluster may have made them.
			execute(c, """
					DO $$
					BEGIN
					  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
					  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
					  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS; END IF;
					END
					$$""");
			execute(c, "CREATE ROLE " + this.authAdmin + " NOLOGIN NOINHERIT");
			execute(c, "CREATE ROLE " + this.storageAdmin + " NOLOGIN NOINHERIT");
			execute(c, "CREATE ROLE " + this.owner + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS");
			execute(c, "GRANT " + this.authAdmin + ", " + this.storageAdmin + " TO " + this.owner);
			execute(c, "ALTER DATABASE " + this.db.name() + " OWNER TO " + this.owner);
		}
	}

	@AfterEach
	void dropDatabaseAndRoles() throws SQLException {
		this.db.close();
		try (Connection c = LocalPostgres.connectAsSuperuser("postgres")) {
			execute(c, "DROP ROLE IF EXISTS " + this.owner);
			execute(c, "DROP ROLE IF EXISTS " + this.authAdmin);
			execute(c, "DROP ROLE IF EXISTS " + this.storageAdmin);
		}
	}

	/** What a Supabase project has before Clara's first migration (the parts Clara touches). */
	private void createSupabaseFixture() throws SQLException {
		try (Connection c = this.db.connect()) {
			execute(c, """
					CREATE SCHEMA extensions;
					GRANT USAGE ON SCHEMA extensions TO %1$s, anon, authenticated, service_role;
					CREATE EXTENSION vector WITH SCHEMA extensions;
					CREATE EXTENSION pgcrypto WITH SCHEMA extensions;
					CREATE EXTENSION "uuid-ossp" WITH SCHEMA extensions;

					CREATE SCHEMA auth AUTHORIZATION %2$s;
					GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
					CREATE TABLE auth.users (
					  instance_id uuid, id uuid NOT NULL PRIMARY KEY, aud varchar(255), role varchar(255), email varchar(255),
					  encrypted_password varchar(255), email_confirmed_at timestamptz, invited_at timestamptz,
					  confirmation_token varchar(255), recovery_token varchar(255), last_sign_in_at timestamptz,
					  raw_app_meta_data jsonb, raw_user_meta_data jsonb, is_super_admin boolean,
					  created_at timestamptz, updated_at timestamptz, phone text UNIQUE DEFAULT NULL,
					  is_sso_user boolean NOT NULL DEFAULT false, deleted_at timestamptz,
					  is_anonymous boolean NOT NULL DEFAULT false);
					CREATE UNIQUE INDEX users_email_partial_key ON auth.users (email) WHERE is_sso_user = false;
					ALTER TABLE auth.users ENABLE ROW LEVEL SECURITY;
					ALTER TABLE auth.users OWNER TO %2$s;
					CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
					  -- supabase fixture
					  select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
					                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid
					$$;
					CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$
					  -- supabase fixture
					  select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
					                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text
					$$;
					CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
					  -- supabase fixture
					  select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
					                  nullif(current_setting('request.jwt.claims', true), ''))::jsonb
					$$;
					ALTER FUNCTION auth.uid() OWNER TO %2$s;
					ALTER FUNCTION auth.role() OWNER TO %2$s;
					ALTER FUNCTION auth.jwt() OWNER TO %2$s;
					-- A project's own sign-up trigger, with the name Supabase's docs use.
					CREATE FUNCTION auth.fixture_on_user_created() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
					ALTER FUNCTION auth.fixture_on_user_created() OWNER TO %2$s;
					CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION auth.fixture_on_user_created();

					CREATE SCHEMA storage AUTHORIZATION %3$s;
					GRANT USAGE ON SCHEMA storage TO anon, authenticated, service_role;
					CREATE TABLE storage.buckets (
					  id text NOT NULL PRIMARY KEY, name text NOT NULL, owner uuid, created_at timestamptz DEFAULT now(),
					  updated_at timestamptz DEFAULT now(), public boolean DEFAULT false, avif_autodetection boolean DEFAULT false,
					  file_size_limit bigint, allowed_mime_types text[], owner_id text);
					CREATE TABLE storage.objects (
					  id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY, bucket_id text REFERENCES storage.buckets (id),
					  name text, owner uuid, created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now(),
					  last_accessed_at timestamptz DEFAULT now(), metadata jsonb,
					  path_tokens text[] GENERATED ALWAYS AS (string_to_array(name, '/')) STORED,
					  version text, owner_id text, user_metadata jsonb);
					CREATE UNIQUE INDEX bucketid_objname ON storage.objects (bucket_id, name);
					CREATE FUNCTION storage.foldername(name text) RETURNS text[] LANGUAGE plpgsql AS $$
					DECLARE _parts text[];
					BEGIN
					  -- supabase fixture
					  select string_to_array(name, '/') into _parts;
					  return _parts[1:array_length(_parts, 1) - 1];
					END
					$$;
					ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
					ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
					GRANT ALL ON storage.buckets, storage.objects TO anon, authenticated, service_role;
					CREATE POLICY "Avatar images are publicly accessible." ON storage.objects FOR SELECT USING (bucket_id = 'avatars');
					ALTER TABLE storage.buckets OWNER TO %3$s;
					ALTER TABLE storage.objects OWNER TO %3$s;
					ALTER FUNCTION storage.foldername(text) OWNER TO %3$s;
					INSERT INTO storage.buckets (id, name, public) VALUES ('avatars', 'avatars', true);

					-- Supabase's default privileges: everything the migrating role creates in public is
					-- granted to the API roles; row-level security and explicit revokes must do the rest.
					ALTER DEFAULT PRIVILEGES FOR ROLE %1$s IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
					ALTER DEFAULT PRIVILEGES FOR ROLE %1$s IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
					ALTER DEFAULT PRIVILEGES FOR ROLE %1$s IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
					""".formatted(this.owner, this.authAdmin, this.storageAdmin));
		}
	}

	private String supabaseSchemasDump() {
		return PgDump.schemaOnly(this.db.name(), "-n", "auth", "-n", "storage", "-n", "extensions");
	}

	@Test
	void migratesAsANonSuperuserOntoSupabaseAndLeavesItsObjectsUntouched() throws SQLException {
		createSupabaseFixture();
		String before = supabaseSchemasDump();
		List<String> rolesBefore = roles();

		Migrations.migrate(this.db.jdbcUrl(), this.owner, "");

		try (Connection c = this.db.connect()) {
			assertThat(single(c, "SELECT rolsuper FROM pg_roles WHERE rolname = ?", this.owner)).isEqualTo(false);
			assertThat(count(c, "SELECT count(*) FROM flyway_schema_history WHERE NOT success")).isZero();
			assertThat(strings(c, "SELECT DISTINCT installed_by FROM flyway_schema_history")).containsExactly(this.owner);
			assertThat(strings(c, "SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'qa_pairs'"))
				.containsExactly(this.owner);
		}

		// Only additions to Supabase's schemas: the sign-up trigger and the storage policies of the
		// avatar bucket (four) and of the documents bucket (four).
		String after = supabaseSchemasDump();
		List<String> removed = new ArrayList<>(PgDump.objects(before));
		removed.removeAll(PgDump.objects(after));
		List<String> added = new ArrayList<>(PgDump.objects(after));
		added.removeAll(PgDump.objects(before));
		assertThat(removed).isEmpty();
		assertThat(added).extracting((object) -> object.lines().findFirst().orElse("").replaceAll("; Owner: .*", ""))
			.containsExactlyInAnyOrder("Name: users clara_on_auth_user_created; Type: TRIGGER; Schema: auth",
					"Name: objects Users can upload chatbot assets; Type: POLICY; Schema: storage",
					"Name: objects Public read chatbot assets; Type: POLICY; Schema: storage",
					"Name: objects Users can update own chatbot assets; Type: POLICY; Schema: storage",
					"Name: objects Users can delete own chatbot assets; Type: POLICY; Schema: storage",
					"Name: objects Owners read own documents; Type: POLICY; Schema: storage",
					"Name: objects Owners upload own documents; Type: POLICY; Schema: storage",
					"Name: objects Owners update own documents; Type: POLICY; Schema: storage",
					"Name: objects Owners delete own documents; Type: POLICY; Schema: storage");
		assertThat(roles()).isEqualTo(rolesBefore);

		try (Connection c = this.db.connect()) {
			assertThat(single(c, "SELECT prosrc LIKE '%supabase fixture%' FROM pg_proc WHERE oid = 'auth.uid()'::regprocedure")).isEqualTo(true);
			assertThat(strings(c, "SELECT id || ':' || public FROM storage.buckets ORDER BY id")).containsExactly("avatars:true",
					"chatbot-assets:true", "documents:false");
			behavesLikeClara(c);
		}

		Migrations.seedDemo(this.db.jdbcUrl(), this.owner, "");
		Migrations.seedDemo(this.db.jdbcUrl(), this.owner, "");
		try (Connection c = this.db.connect()) {
			assertThat(count(c, "SELECT count(*) FROM qa_pairs WHERE workspace_id = '00000000-0000-0000-0000-00000000c1a4'")).isEqualTo(13);
		}

		// Rolling everything back, as the same non-superuser, restores Supabase's schemas exactly.
		Migrations.rollback(this.db.jdbcUrl(), this.owner, "", "0");
		assertThat(supabaseSchemasDump()).isEqualTo(before);
		try (Connection c = this.db.connect()) {
			assertThat(strings(c, "SELECT id FROM storage.buckets")).containsExactly("avatars");
			assertThat(strings(c, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).containsExactly("flyway_schema_history");
		}

		// And migrating again works (auth.users still holds the demo user).
		Migrations.migrate(this.db.jdbcUrl(), this.owner, "");
		assertThat(supabaseSchemasDump()).isEqualTo(after);
	}

	/** Tenant isolation and privileges hold on the fixture, despite Supabase's default privileges. */
	private void behavesLikeClara(Connection c) throws SQLException {
		UUID alice = UUID.randomUUID();
		UUID bob = UUID.randomUUID();
		update(c, "INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES (?, 'alice@example.test', '{\"full_name\": \"Alice\"}'), (?, 'bob@example.test', '{}')", alice, bob);
		UUID aliceWs = (UUID) single(c, "SELECT id FROM workspaces WHERE owner_id = ?", alice);
		assertThat(aliceWs).isNotNull();
		assertThat(single(c, "SELECT full_name FROM profiles WHERE id = ?", alice)).isEqualTo("Alice");
		float[] v = new float[384];
		v[0] = 1;
		update(c, "INSERT INTO qa_pairs (workspace_id, question, answer, embedding, embedding_model, embedded_at) VALUES (?, 'Q', 'A', ?, 'bge-small-en-v1.5-q', now())",
				aliceWs, new PGvector(v));

		inRolledBackTransaction(c, (tx) -> {
			actAs(tx, SchemaTestDatabase.Role.AUTHENTICATED, alice);
			assertThat(count(tx, "SELECT count(*) FROM workspaces")).isEqualTo(1);
			assertThat(count(tx, "SELECT count(*) FROM search_qa_pairs(?, ?, 0.5, 5)", aliceWs, new PGvector(v))).isEqualTo(1);
			assertThat(sqlStateOf(tx, () -> count(tx, "SELECT count(*) FROM outbox_events"))).isEqualTo("42501");
			assertThat(sqlStateOf(tx, () -> update(tx, "INSERT INTO api_usage (workspace_id, provider, model) VALUES (?, 'openai', 'gpt-4o')", aliceWs)))
				.isEqualTo("42501");
			assertThat(sqlStateOf(tx, () -> update(tx, "UPDATE embedding_models SET notes = 'x'"))).isEqualTo("42501");
			return null;
		});
		inRolledBackTransaction(c, (tx) -> {
			actAs(tx, SchemaTestDatabase.Role.AUTHENTICATED, bob);
			assertThat(count(tx, "SELECT count(*) FROM search_qa_pairs(?, ?, 0.0, 5)", aliceWs, new PGvector(v))).isZero();
			assertThat(count(tx, "SELECT count(*) FROM qa_pairs")).isZero();
			return null;
		});
		inRolledBackTransaction(c, (tx) -> {
			actAs(tx, SchemaTestDatabase.Role.ANON, null);
			assertThat(sqlStateOf(tx, () -> count(tx, "SELECT count(*) FROM qa_pairs"))).isEqualTo("42501");
			assertThat(sqlStateOf(tx, () -> count(tx, "SELECT count(*) FROM flyway_schema_history"))).isEqualTo("42501");
			assertThat(sqlStateOf(tx, () -> single(tx, "SELECT prune_outbox_events()"))).isEqualTo("42501");
			assertThat(count(tx, "SELECT count(*) FROM embedding_models")).isEqualTo(3);
			return null;
		});
		update(c, "DELETE FROM auth.users WHERE id IN (?, ?)", alice, bob);
	}

	@Test
	void onPlainPostgresANonSuperuserNeedsOnlyThePgvectorExtensionCreatedForIt() throws SQLException {
		String url = this.db.jdbcUrl();
		assertThatException().isThrownBy(() -> Migrations.migrate(url, this.owner, ""))
			.withStackTraceContaining("the vector extension is missing");

		try (Connection c = this.db.connect()) {
			execute(c, "CREATE SCHEMA extensions AUTHORIZATION " + this.owner + "; CREATE EXTENSION vector WITH SCHEMA extensions");
		}
		Migrations.migrate(url, this.owner, "");
		try (Connection c = DriverManager.getConnection(url, this.owner, "")) {
			// The shim made auth and storage, owned by the migrating role.
			assertThat(strings(c, "SELECT nspname || ':' || pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname IN ('auth', 'storage') ORDER BY 1"))
				.containsExactly("auth:" + this.owner, "storage:" + this.owner);
			assertThat(count(c, "SELECT count(*) FROM flyway_schema_history WHERE success")).isGreaterThanOrEqualTo(11);
		}
		try (Connection c = this.db.connect()) {
			// The API roles got what they need on the pre-made schema.
			UUID user = SchemaTestDatabase.createUser(c, "plain@example.test");
			UUID ws = SchemaTestDatabase.workspaceOf(c, user);
			inRolledBackTransaction(c, (tx) -> {
				actAs(tx, SchemaTestDatabase.Role.AUTHENTICATED, user);
				assertThat(count(tx, "SELECT count(*) FROM search_qa_pairs(?, ?)", ws, new PGvector(new float[384]))).isZero();
				return null;
			});
		}
		Migrations.rollback(url, this.owner, "", "0");
		try (Connection c = this.db.connect()) {
			assertThat(strings(c, "SELECT nspname FROM pg_namespace WHERE nspname IN ('auth', 'storage', 'extensions') ORDER BY 1"))
				.containsExactly("extensions");
			assertThat(count(c, "SELECT count(*) FROM pg_extension WHERE extname = 'vector'")).isEqualTo(1);
		}
	}

	private List<String> roles() throws SQLException {
		try (Connection c = this.db.connect()) {
			return strings(c, "SELECT rolname || ':' || rolsuper || rolbypassrls || rolcanlogin FROM pg_roles ORDER BY 1");
		}
	}

}
