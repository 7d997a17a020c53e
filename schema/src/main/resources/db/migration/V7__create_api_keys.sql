-- V7: api_keys, the workspaces' own LLM keys (004), AES-256-GCM encrypted by the application.
--
-- Additions to 004:
--   * key_id: which master key encrypted encrypted_key (iv:authTag:ciphertext, hex), so the
--     master key can be rotated (re-encrypt rows whose key_id is old).
--   * at most one active default key per workspace: unique partial index.
--   * set_default_api_key(p_key_id): makes a key the default and clears the previous default in
--     one transaction, serialised per workspace.
--   * the authenticated role may not SELECT encrypted_key (column privileges): only key_last4
--     leaves the server. Owners select the other columns explicitly (no SELECT * / RETURNING *).

CREATE TABLE public.api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  provider      text NOT NULL CHECK (provider IN ('openai', 'anthropic')),
  model         text NOT NULL,
  encrypted_key text NOT NULL CHECK (encrypted_key ~* '^[0-9a-f]+:[0-9a-f]+:[0-9a-f]+$'),
  key_id        text NOT NULL CHECK (key_id <> ''),
  key_last4     text NOT NULL CHECK (char_length(key_last4) BETWEEN 1 AND 4),
  label         text,
  is_default    boolean NOT NULL DEFAULT false,
  is_active     boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN public.api_keys.encrypted_key IS 'AES-256-GCM encrypted. Format: iv:authTag:ciphertext (hex-encoded).';
COMMENT ON COLUMN public.api_keys.key_id IS 'Id of the master key that encrypted encrypted_key (master key rotation).';

CREATE INDEX idx_api_keys_workspace ON public.api_keys (workspace_id);
CREATE UNIQUE INDEX api_keys_one_active_default ON public.api_keys (workspace_id)
  WHERE is_default AND is_active;

CREATE TRIGGER set_updated_at_api_keys
  BEFORE UPDATE ON public.api_keys
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.api_keys ENABLE ROW LEVEL SECURITY;

CREATE POLICY api_keys_owner ON public.api_keys
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.api_keys FROM PUBLIC, anon, authenticated;
GRANT SELECT (id, workspace_id, provider, model, key_id, key_last4, label, is_default, is_active, created_at, updated_at)
  ON TABLE public.api_keys TO authenticated;
GRANT INSERT, UPDATE, DELETE ON TABLE public.api_keys TO authenticated;
GRANT ALL ON TABLE public.api_keys TO service_role;

-- SECURITY INVOKER: an owner can only swap keys row-level security lets them see and update.
-- The advisory lock serialises concurrent swaps in one workspace (without it, two swaps could
-- both clear the old default and then collide on the unique index).
CREATE FUNCTION public.set_default_api_key(p_key_id uuid) RETURNS void
  LANGUAGE plpgsql
  SECURITY INVOKER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  ws     uuid;
  active boolean;
BEGIN
  SELECT k.workspace_id INTO ws FROM public.api_keys k WHERE k.id = p_key_id;
  IF ws IS NULL THEN
    RAISE EXCEPTION 'API key % not found', p_key_id USING ERRCODE = 'no_data_found';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('clara.api_keys.default:' || ws::text, 0));

  SELECT k.is_active INTO active FROM public.api_keys k WHERE k.id = p_key_id;
  IF active IS DISTINCT FROM true THEN
    RAISE EXCEPTION 'API key % is not active', p_key_id USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;

  UPDATE public.api_keys SET is_default = false
   WHERE workspace_id = ws AND is_default AND id <> p_key_id;
  UPDATE public.api_keys SET is_default = true
   WHERE id = p_key_id AND NOT is_default;
END
$$;
REVOKE ALL ON FUNCTION public.set_default_api_key(uuid) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.set_default_api_key(uuid) TO authenticated, service_role;
