-- V5: conversations and messages (004's chat_sessions merged with 000-003's conversations and
-- messages) and the chat_sessions compatibility view.
--
-- A conversation belongs to a workspace and either to a signed-in user (user_id) or to an
-- anonymous widget visitor (session_token, unique per workspace). Messages are rows, unique on
-- (conversation_id, message_id) so a retried chat turn cannot duplicate them. messages.workspace_id
-- is denormalised (row-level security, CDC projections) and kept equal to the conversation's by
-- a composite foreign key.

CREATE TABLE public.conversations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id  uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  user_id       uuid REFERENCES auth.users (id) ON DELETE CASCADE,
  session_token text,
  title         text,
  summary       jsonb,
  metadata      jsonb DEFAULT '{}'::jsonb,
  visitor_name  text,
  visitor_email text,
  escalated     boolean NOT NULL DEFAULT false,
  escalated_at  timestamptz,
  is_archived   boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT conversations_workspace_token_unique UNIQUE (workspace_id, session_token),
  CONSTRAINT conversations_id_workspace_id_key UNIQUE (id, workspace_id),
  CONSTRAINT conversations_user_or_session_check CHECK (user_id IS NOT NULL OR session_token IS NOT NULL)
);
ALTER TABLE public.conversations REPLICA IDENTITY FULL;
COMMENT ON TABLE public.conversations IS
  '004 chat_sessions + 000-003 conversations: a widget session (session_token) or a signed-in user''s conversation (user_id).';
COMMENT ON COLUMN public.conversations.summary IS '004 v1.1 AI summary (jsonb); 000''s text summary goes into {"text": ...}.';

CREATE INDEX idx_conversations_workspace ON public.conversations (workspace_id);
CREATE INDEX idx_conversations_workspace_updated ON public.conversations (workspace_id, updated_at DESC);
CREATE INDEX idx_conversations_user_id ON public.conversations (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX idx_conversations_token ON public.conversations (session_token) WHERE session_token IS NOT NULL;

CREATE TRIGGER set_updated_at_conversations
  BEFORE UPDATE ON public.conversations
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE TABLE public.messages (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL,
  workspace_id    uuid NOT NULL,
  message_id      uuid NOT NULL DEFAULT gen_random_uuid(),
  role            text NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
  content         text NOT NULL,
  sender_id       uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  metadata        jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
  -- clock_timestamp(): a chat turn stores the user's and the assistant's message in one
  -- transaction, and their order must survive.
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT messages_conversation_message_unique UNIQUE (conversation_id, message_id),
  CONSTRAINT messages_conversation_fkey FOREIGN KEY (conversation_id, workspace_id)
    REFERENCES public.conversations (id, workspace_id) ON DELETE CASCADE
);
COMMENT ON COLUMN public.messages.metadata IS
  'model, tokens (prompt/completion/total), latency_ms, matched_qa_ids, confidence, suggestion_chips, gap_detected, escalation_offered.';
COMMENT ON COLUMN public.messages.message_id IS 'Client/chat-engine id of the message; idempotency key within its conversation.';

CREATE INDEX idx_messages_conversation_created ON public.messages (conversation_id, created_at);
CREATE INDEX idx_messages_workspace_created ON public.messages (workspace_id, created_at);

-- 003's on_message_created: a new message moves its conversation's updated_at. SECURITY DEFINER
-- so that it does not depend on the inserter's UPDATE rights on conversations; it touches only
-- updated_at of the message's own conversation.
CREATE FUNCTION public.touch_conversation_on_message() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  UPDATE public.conversations SET updated_at = now() WHERE id = NEW.conversation_id;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.touch_conversation_on_message() FROM PUBLIC, anon, authenticated;

CREATE TRIGGER on_message_created
  AFTER INSERT ON public.messages
  FOR EACH ROW EXECUTE FUNCTION public.touch_conversation_on_message();

-- ───────────────────────────── row-level security ─────────────────────────────
ALTER TABLE public.conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.messages ENABLE ROW LEVEL SECURITY;

-- The workspace owner: everything in the workspace (004).
CREATE POLICY conversations_owner ON public.conversations
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));
-- A signed-in user: reads their own conversations (000-003). Their writes go through the chat
-- API (service_role), so that nobody can write into a workspace they do not own.
CREATE POLICY conversations_select_own ON public.conversations
  FOR SELECT TO authenticated
  USING (user_id = (SELECT auth.uid()));

CREATE POLICY messages_owner ON public.messages
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));
CREATE POLICY messages_select_own ON public.messages
  FOR SELECT TO authenticated
  USING (conversation_id IN (SELECT c.id FROM public.conversations c WHERE c.user_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.conversations FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.conversations TO authenticated;
GRANT ALL ON TABLE public.conversations TO service_role;

REVOKE ALL ON TABLE public.messages FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.messages TO authenticated;
GRANT ALL ON TABLE public.messages TO service_role;

-- ───────────────────────────── chat_sessions (compatibility view) ─────────────────────────────
-- 004's chat_sessions column set over the widget conversations (session_token set), with messages
-- aggregated as 004's ChatMessage array ordered by created_at. security_invoker: the caller's
-- row-level security applies to the underlying tables.
CREATE VIEW public.chat_sessions WITH (security_invoker = true) AS
SELECT c.id,
       c.workspace_id,
       c.session_token,
       COALESCE((
         SELECT jsonb_agg(
                  jsonb_build_object(
                    'message_id', m.message_id,
                    'role', m.role,
                    'content', m.content,
                    'timestamp', m.created_at)
                  || COALESCE((SELECT jsonb_object_agg(e.key, e.value)
                                 FROM jsonb_each(m.metadata) e
                                WHERE e.key IN ('suggestion_chips', 'gap_detected', 'matched_qa_ids',
                                                'confidence', 'escalation_offered')), '{}'::jsonb)
                  ORDER BY m.created_at, m.id)
           FROM public.messages m
          WHERE m.conversation_id = c.id), '[]'::jsonb) AS messages,
       c.summary,
       c.metadata,
       c.visitor_name,
       c.visitor_email,
       c.escalated,
       c.escalated_at,
       c.created_at,
       c.updated_at
  FROM public.conversations c
 WHERE c.session_token IS NOT NULL;
COMMENT ON VIEW public.chat_sessions IS '004''s chat_sessions, read-only, over conversations + messages.';

REVOKE ALL ON TABLE public.chat_sessions FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.chat_sessions TO authenticated;
GRANT SELECT ON TABLE public.chat_sessions TO service_role;
