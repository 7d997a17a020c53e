-- V9: api_usage (001: LLM token usage per call) and access_tokens (001's api_keys: the
-- product's own API keys, stored as a hash only; renamed so it does not clash with 004's LLM
-- api_keys).

CREATE TABLE public.api_usage (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id      uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  user_id           uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  provider          text NOT NULL,
  model             text NOT NULL,
  prompt_tokens     integer CHECK (prompt_tokens >= 0),
  completion_tokens integer CHECK (completion_tokens >= 0),
  total_tokens      integer CHECK (total_tokens >= 0),
  conversation_id   uuid,
  message_id        uuid,
  latency_ms        integer CHECK (latency_ms >= 0),
  created_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT api_usage_conversation_fkey FOREIGN KEY (conversation_id, workspace_id)
    REFERENCES public.conversations (id, workspace_id) ON DELETE SET NULL (conversation_id)
);
COMMENT ON TABLE public.api_usage IS 'LLM calls: tokens and latency. Written by the services (service_role); owners read.';
COMMENT ON COLUMN public.api_usage.message_id IS 'messages.message_id of the assistant message the call produced (no foreign key: usage outlives messages).';

CREATE INDEX idx_api_usage_workspace_created ON public.api_usage (workspace_id, created_at);
CREATE INDEX idx_api_usage_conversation ON public.api_usage (conversation_id) WHERE conversation_id IS NOT NULL;

ALTER TABLE public.api_usage ENABLE ROW LEVEL SECURITY;

CREATE POLICY api_usage_owner_read ON public.api_usage
  FOR SELECT TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.api_usage FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.api_usage TO authenticated;
GRANT ALL ON TABLE public.api_usage TO service_role;

CREATE TABLE public.access_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  created_by   uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  name         text NOT NULL,
  prefix       text NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
COMMENT ON TABLE public.access_tokens IS
  'The product''s own API keys (001 api_keys): only a hash of the secret is stored; prefix is the visible start of the token.';

CREATE INDEX idx_access_tokens_workspace ON public.access_tokens (workspace_id);

ALTER TABLE public.access_tokens ENABLE ROW LEVEL SECURITY;

CREATE POLICY access_tokens_owner ON public.access_tokens
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.access_tokens FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.access_tokens TO authenticated;
GRANT ALL ON TABLE public.access_tokens TO service_role;
