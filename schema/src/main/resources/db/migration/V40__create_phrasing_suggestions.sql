-- V40: a visitor's thumbs-up offers their phrasing of a question to the owner.
--
--   * phrasing_suggestions: when a visitor rates an answer 'up' and asked its question in words
--     other than the question of the pair it was answered from, the chat API (service role) keeps
--     their words here, in the transaction of the rating. The owner accepts one (it becomes a new
--     pair with the pair's answer, so the answer group learns the phrasing) or rejects it.
--   * phrasing_key is the phrasing normalised (trimmed, white space collapsed, lower case): one row
--     per workspace, pair and key, so the same words rated up again do not pile up, and a rejected
--     phrasing is not offered again.
--   * owners read and decide (UPDATE of the decision columns only); the chat API writes.

CREATE TABLE public.phrasing_suggestions (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id           uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  qa_pair_id             uuid NOT NULL,
  phrasing               text NOT NULL CHECK (char_length(phrasing) BETWEEN 1 AND 4000),
  phrasing_key           text GENERATED ALWAYS AS (lower(regexp_replace(btrim(phrasing), '\s+', ' ', 'g'))) STORED,
  source_conversation_id uuid,
  source_message_id      uuid,
  status                 text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
  accepted_qa_id         uuid,
  decided_at             timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT phrasing_suggestions_phrasing_unique UNIQUE (workspace_id, qa_pair_id, phrasing_key),
  CONSTRAINT phrasing_suggestions_pair_fkey FOREIGN KEY (qa_pair_id, workspace_id)
    REFERENCES public.qa_pairs (id, workspace_id) ON DELETE CASCADE,
  CONSTRAINT phrasing_suggestions_accepted_fkey FOREIGN KEY (accepted_qa_id, workspace_id)
    REFERENCES public.qa_pairs (id, workspace_id) ON DELETE SET NULL (accepted_qa_id),
  -- the suggestion outlives its conversation (retention may delete it); only the link goes
  CONSTRAINT phrasing_suggestions_message_fkey FOREIGN KEY (source_conversation_id, source_message_id)
    REFERENCES public.messages (conversation_id, message_id) ON DELETE SET NULL (source_conversation_id, source_message_id),
  CONSTRAINT phrasing_suggestions_decision_check CHECK ((status = 'open') = (decided_at IS NULL))
);
COMMENT ON TABLE public.phrasing_suggestions IS
  'A visitor''s phrasing of a pair''s question, offered by their thumbs-up on its answer; open until the owner accepts (a new pair, accepted_qa_id) or rejects it. Written by the chat API (service_role); owners read and decide.';
COMMENT ON COLUMN public.phrasing_suggestions.phrasing_key IS 'The phrasing trimmed, with white space collapsed and lower-cased: unique per workspace and pair.';

CREATE INDEX idx_phrasing_suggestions_workspace_status ON public.phrasing_suggestions (workspace_id, status, created_at DESC);
CREATE INDEX idx_phrasing_suggestions_pair ON public.phrasing_suggestions (qa_pair_id, workspace_id);
CREATE INDEX idx_phrasing_suggestions_accepted ON public.phrasing_suggestions (accepted_qa_id, workspace_id);
CREATE INDEX idx_phrasing_suggestions_message ON public.phrasing_suggestions (source_conversation_id, source_message_id);

ALTER TABLE public.phrasing_suggestions ENABLE ROW LEVEL SECURITY;

CREATE POLICY phrasing_suggestions_owner_read ON public.phrasing_suggestions
  FOR SELECT TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

CREATE POLICY phrasing_suggestions_owner_update ON public.phrasing_suggestions
  FOR UPDATE TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.phrasing_suggestions FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.phrasing_suggestions TO authenticated;
-- owners decide; what was suggested, and for which pair, is the visitor's and stays as written
GRANT UPDATE (status, accepted_qa_id, decided_at) ON TABLE public.phrasing_suggestions TO authenticated;
GRANT ALL ON TABLE public.phrasing_suggestions TO service_role;
