-- U1: undo V1. Drops only the schemas V1 created (comment 'clara-shim'), with everything in them
-- (auth.users, the auth helpers, storage tables, the vector extension and any other extension
-- installed into a shim-created "extensions" schema). Supabase's own schemas are never marked and
-- stay untouched. The roles anon / authenticated / service_role are cluster-wide and may be used
-- by other databases of the cluster: they are left in place (V1 reuses them).
DO $undo$
DECLARE
  s text;
BEGIN
  FOREACH s IN ARRAY ARRAY['storage', 'auth', 'extensions'] LOOP
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_namespace n
               WHERE n.nspname = s
                 AND pg_catalog.obj_description(n.oid, 'pg_namespace') = 'clara-shim') THEN
      EXECUTE pg_catalog.format('DROP SCHEMA %I CASCADE', s);
    END IF;
  END LOOP;
END
$undo$;
