-- V48: identity secrets, with which a site's server vouches for its signed-in users.
--
-- The host page passes the widget a user id and HMAC-SHA256(secret, user id) (or a short-lived
-- HS256 JWT signed with the secret); the chat API recomputes it with the workspace's secrets.
-- The secret is shown to the owner once, then kept AES-256-GCM encrypted like api_keys.encrypted_key
-- (the same master keys, key_id for rotation); the owner's role cannot even read the ciphertext.
--
-- A secret verifies while it is neither revoked nor retired: rotating a secret sets retires_at on
-- the old one (a grace period in which pages still signing with it keep working); revoking sets
-- revoked_at (effective at once). Settings that require identity live in workspaces.settings.

CREATE TABLE public.identity_secrets (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id     uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  encrypted_secret text NOT NULL CHECK (encrypted_secret ~* '^[0-9a-f]+:[0-9a-f]+:[0-9a-f]+$'),
  key_id           text NOT NULL CHECK (key_id <> ''),
  secret_last4     text NOT NULL CHECK (char_length(secret_last4) = 4),
  created_at       timestamptz NOT NULL DEFAULT now(),
  retires_at       timestamptz,
  revoked_at       timestamptz
);
COMMENT ON TABLE public.identity_secrets IS
  'Secrets that verify a signed-in user''s id (HMAC-SHA256 hex, or HS256 JWT). Shown once; encrypted like api_keys.';
COMMENT ON COLUMN public.identity_secrets.retires_at IS 'Set when the secret was rotated: it still verifies until then.';
COMMENT ON COLUMN public.identity_secrets.revoked_at IS 'Set when the secret was revoked: it no longer verifies.';

CREATE INDEX idx_identity_secrets_workspace ON public.identity_secrets (workspace_id);

ALTER TABLE public.identity_secrets ENABLE ROW LEVEL SECURITY;

CREATE POLICY identity_secrets_owner ON public.identity_secrets
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.identity_secrets FROM PUBLIC, anon, authenticated;
GRANT SELECT (id, workspace_id, key_id, secret_last4, created_at, retires_at, revoked_at)
  ON TABLE public.identity_secrets TO authenticated;
GRANT INSERT ON TABLE public.identity_secrets TO authenticated;
GRANT UPDATE (retires_at, revoked_at) ON TABLE public.identity_secrets TO authenticated;
GRANT ALL ON TABLE public.identity_secrets TO service_role;

-- Identity settings: require_verified_user (every chat needs a verified user) and
-- require_user_token (only the JWT form verifies, not the never-expiring hash); both false when absent.
ALTER TABLE public.workspaces
  ADD CONSTRAINT workspaces_identity_settings_check CHECK (
    jsonb_typeof(COALESCE(settings -> 'require_verified_user', 'false'::jsonb)) = 'boolean'
    AND jsonb_typeof(COALESCE(settings -> 'require_user_token', 'false'::jsonb)) = 'boolean'
  );
