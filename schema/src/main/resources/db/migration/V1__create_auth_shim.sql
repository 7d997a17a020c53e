-- V1: Supabase compatibility shim.
--
-- On a Supabase project every object below already exists and this migration changes nothing.
-- On plain PostgreSQL it creates the minimum that Clara's schema and policies rely on, with the
-- same names and behaviour as Supabase's:
--   roles    anon, authenticated (NOLOGIN), service_role (NOLOGIN BYPASSRLS)
--   schema   auth:       auth.users, auth.uid(), auth.role(), auth.jwt()
--   schema   storage:    storage.buckets, storage.objects, storage.foldername(text)
--   schema   extensions: the pgvector extension
-- Each object is created only if it is missing. Schemas this migration creates carry the comment
-- 'clara-shim' so that U1 drops them, and only them: Supabase's own objects are never changed.
--
-- Roles are cluster-wide: creating them needs CREATEROLE (BYPASSRLS needs a superuser), so on a
-- fresh plain PostgreSQL cluster run the first migration as a superuser once, or create the
-- roles beforehand. pgvector is not a trusted extension: a non-superuser needs it created
-- beforehand (CREATE EXTENSION vector WITH SCHEMA extensions), as Supabase does.

-- ───────────────────────────── roles ─────────────────────────────
DO $shim$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
      ('anon',          'CREATE ROLE anon NOLOGIN NOINHERIT'),
      ('authenticated', 'CREATE ROLE authenticated NOLOGIN NOINHERIT'),
      ('service_role',  'CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS')) AS v(name, ddl)
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
      BEGIN
        EXECUTE r.ddl;
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'role % is missing and % may not create it', r.name, current_user
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Run the first migration once as a superuser, or create the Supabase roles '
                    || '(anon, authenticated, service_role BYPASSRLS) beforehand.';
      END;
    END IF;
  END LOOP;
END
$shim$;

-- ───────────────────────────── schema extensions + pgvector ─────────────────────────────
DO $shim$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'extensions') THEN
    CREATE SCHEMA extensions;
    COMMENT ON SCHEMA extensions IS 'clara-shim';
  END IF;

  IF EXISTS (SELECT 1 FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
             WHERE e.extname = 'vector' AND n.nspname <> 'extensions') THEN
    RAISE EXCEPTION 'the vector extension is installed outside the schema "extensions"'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Clara refers to extensions.vector (where Supabase installs it). Move it: '
                || 'ALTER EXTENSION vector SET SCHEMA extensions;';
  END IF;

  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'vector') THEN
    BEGIN
      CREATE EXTENSION vector WITH SCHEMA extensions;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'the vector extension is missing and % may not create it', current_user
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'As a superuser: CREATE EXTENSION vector WITH SCHEMA extensions;';
    END;
  END IF;
END
$shim$;

-- ───────────────────────────── schema auth ─────────────────────────────
DO $shim$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'auth') THEN
    CREATE SCHEMA auth;
    COMMENT ON SCHEMA auth IS 'clara-shim';
  END IF;

  IF to_regclass('auth.users') IS NULL THEN
    CREATE TABLE auth.users (
      id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      instance_id        uuid,
      aud                text DEFAULT 'authenticated',
      role               text DEFAULT 'authenticated',
      email              text UNIQUE,
      encrypted_password text,
      email_confirmed_at timestamptz,
      raw_app_meta_data  jsonb NOT NULL DEFAULT '{}'::jsonb,
      raw_user_meta_data jsonb NOT NULL DEFAULT '{}'::jsonb,
      is_anonymous       boolean NOT NULL DEFAULT false,
      created_at         timestamptz NOT NULL DEFAULT now(),
      updated_at         timestamptz NOT NULL DEFAULT now(),
      last_sign_in_at    timestamptz
    );
    COMMENT ON TABLE auth.users IS 'clara-shim: minimal stand-in for Supabase Auth''s users table';
    GRANT ALL ON TABLE auth.users TO service_role;
  END IF;

  -- The three helpers read the claims exactly as Supabase's do (request.jwt.claims, set by
  -- PostgREST per transaction; the older per-claim settings first).
  IF to_regprocedure('auth.uid()') IS NULL THEN
    CREATE FUNCTION auth.uid() RETURNS uuid
      LANGUAGE sql STABLE
      AS $fn$
        SELECT coalesce(
          nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''),
          (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
        )::uuid
      $fn$;
    GRANT EXECUTE ON FUNCTION auth.uid() TO anon, authenticated, service_role;
  END IF;

  IF to_regprocedure('auth.role()') IS NULL THEN
    CREATE FUNCTION auth.role() RETURNS text
      LANGUAGE sql STABLE
      AS $fn$
        SELECT coalesce(
          nullif(pg_catalog.current_setting('request.jwt.claim.role', true), ''),
          (nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
        )::text
      $fn$;
    GRANT EXECUTE ON FUNCTION auth.role() TO anon, authenticated, service_role;
  END IF;

  IF to_regprocedure('auth.jwt()') IS NULL THEN
    CREATE FUNCTION auth.jwt() RETURNS jsonb
      LANGUAGE sql STABLE
      AS $fn$
        SELECT coalesce(
          nullif(pg_catalog.current_setting('request.jwt.claim', true), ''),
          nullif(pg_catalog.current_setting('request.jwt.claims', true), '')
        )::jsonb
      $fn$;
    GRANT EXECUTE ON FUNCTION auth.jwt() TO anon, authenticated, service_role;
  END IF;
END
$shim$;

-- ───────────────────────────── schema storage ─────────────────────────────
DO $shim$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'storage') THEN
    CREATE SCHEMA storage;
    COMMENT ON SCHEMA storage IS 'clara-shim';
  END IF;

  IF to_regclass('storage.buckets') IS NULL THEN
    CREATE TABLE storage.buckets (
      id                 text PRIMARY KEY,
      name               text NOT NULL UNIQUE,
      owner              uuid,
      public             boolean NOT NULL DEFAULT false,
      file_size_limit    bigint,
      allowed_mime_types text[],
      created_at         timestamptz NOT NULL DEFAULT now(),
      updated_at         timestamptz NOT NULL DEFAULT now()
    );
    ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
    -- Supabase's grants; row-level security decides.
    GRANT ALL ON TABLE storage.buckets TO anon, authenticated, service_role;
  END IF;

  IF to_regclass('storage.objects') IS NULL THEN
    CREATE TABLE storage.objects (
      id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      bucket_id        text REFERENCES storage.buckets (id),
      name             text,
      owner            uuid,
      metadata         jsonb,
      path_tokens      text[] GENERATED ALWAYS AS (pg_catalog.string_to_array(name, '/')) STORED,
      version          text,
      created_at       timestamptz NOT NULL DEFAULT now(),
      updated_at       timestamptz NOT NULL DEFAULT now(),
      last_accessed_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT objects_bucket_id_name_key UNIQUE (bucket_id, name)
    );
    ALTER TABLE storage.objects ENABLE ROW LEVEL SECURITY;
    GRANT ALL ON TABLE storage.objects TO anon, authenticated, service_role;
  END IF;

  IF to_regprocedure('storage.foldername(text)') IS NULL THEN
    -- Same result as Supabase's: every path segment but the last.
    CREATE FUNCTION storage.foldername(name text) RETURNS text[]
      LANGUAGE plpgsql IMMUTABLE
      AS $fn$
      DECLARE
        _parts text[];
      BEGIN
        _parts := pg_catalog.string_to_array(name, '/');
        RETURN _parts[1:pg_catalog.array_length(_parts, 1) - 1];
      END
      $fn$;
    GRANT EXECUTE ON FUNCTION storage.foldername(text) TO anon, authenticated, service_role;
  END IF;
END
$shim$;

-- ───────────────────────────── schema usage for the API roles ─────────────────────────────
-- Policies call auth.uid() and storage.foldername(); search_qa_pairs runs with the caller's
-- rights and uses the vector type. Granted only where missing (Supabase has these grants; a
-- repeated grant by another grantor would still change its ACL).
DO $shim$
DECLARE
  s text;
  r text;
BEGIN
  FOREACH s IN ARRAY ARRAY['extensions', 'auth', 'storage'] LOOP
    FOREACH r IN ARRAY ARRAY['anon', 'authenticated', 'service_role'] LOOP
      IF NOT pg_catalog.has_schema_privilege(r, s, 'USAGE') THEN
        EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO %I', s, r);
      END IF;
    END LOOP;
  END LOOP;
END
$shim$;
