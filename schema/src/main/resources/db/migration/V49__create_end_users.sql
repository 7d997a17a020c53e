-- V49: end users, the signed-in users of a workspace's own site whose identity the chat API has
-- verified (identity_secrets), and the link from their conversations.
--
-- An end user is unique per workspace by the site's user id (external_id). name, email and
-- traits are what the site's page passed with the last verified message (traits: a small object,
-- plan, company…: context for answers, never instructions). Deleting an end user erases their
-- conversations and messages (the composite foreign key cascades); gaps and usage figures keep
-- only what has no personal content.

CREATE TABLE public.end_users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  external_id   text NOT NULL CHECK (char_length(external_id) BETWEEN 1 AND 200),
  name          text CHECK (char_length(name) <= 200),
  email         text CHECK (char_length(email) <= 200),
  traits        jsonb NOT NULL DEFAULT '{}'::jsonb
                  CHECK (jsonb_typeof(traits) = 'object' AND octet_length(traits::text) <= 4096),
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT end_users_workspace_external_unique UNIQUE (workspace_id, external_id),
  CONSTRAINT end_users_id_workspace_id_key UNIQUE (id, workspace_id)
);
COMMENT ON TABLE public.end_users IS
  'Verified signed-in users of a workspace''s site (external_id = the site''s user id). Written by the chat API only.';

ALTER TABLE public.conversations
  ADD COLUMN end_user_id uuid,
  ADD CONSTRAINT conversations_end_user_fkey FOREIGN KEY (end_user_id, workspace_id)
    REFERENCES public.end_users (id, workspace_id) ON DELETE CASCADE;
COMMENT ON COLUMN public.conversations.end_user_id IS
  'The verified end user the conversation belongs to (set by the chat API); null for an anonymous visitor.';
CREATE INDEX idx_conversations_end_user ON public.conversations (end_user_id, updated_at DESC)
  WHERE end_user_id IS NOT NULL;

ALTER TABLE public.end_users ENABLE ROW LEVEL SECURITY;

-- owners read their workspace's end users; creating, changing and erasing them is the chat API's
-- (service role): erasure goes through erase_conversations (V50), so that nothing the person wrote
-- stays behind in gaps, which a plain DELETE would leave
CREATE POLICY end_users_owner_select ON public.end_users
  FOR SELECT TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.end_users FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.end_users TO authenticated;
GRANT ALL ON TABLE public.end_users TO service_role;

-- like conversations.user_id (V36): the link is the chat API's to make
CREATE FUNCTION public.guard_conversation_end_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_user IN ('authenticated', 'anon')
     AND ((TG_OP = 'INSERT' AND NEW.end_user_id IS NOT NULL)
          OR (TG_OP = 'UPDATE' AND NEW.end_user_id IS DISTINCT FROM OLD.end_user_id)) THEN
    RAISE EXCEPTION 'conversations.end_user_id is set by the chat API only'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER guard_conversation_end_user
  BEFORE INSERT OR UPDATE OF end_user_id ON public.conversations
  FOR EACH ROW EXECUTE FUNCTION public.guard_conversation_end_user();
