-- V6: qa_gaps (004) with database-enforced deduplication of open gaps.
--
-- Additions to 004:
--   * normalize_question(text): lower case, trimmed, inner whitespace collapsed (IMMUTABLE, so it
--     can be indexed). A unique partial index on (workspace_id, normalize_question(question))
--     WHERE status = 'open' makes concurrent inserts of the same open question impossible to
--     double; the gap detector upserts:
--       INSERT INTO qa_gaps (workspace_id, question, ...) VALUES (...)
--       ON CONFLICT (workspace_id, normalize_question(question)) WHERE status = 'open'
--       DO UPDATE SET ask_count = qa_gaps.ask_count + 1,
--                     last_asked_at = greatest(qa_gaps.last_asked_at, EXCLUDED.last_asked_at);
--     (greatest: a concurrent transaction that started earlier carries an older now()).
--     Resolved and dismissed gaps do not block a new open one.
--   * ask_count / last_asked_at: how often and when last an open gap was asked.
--   * group_id: the gap that represents this gap's group (a self reference: grouping similar
--     gaps needs no table of its own; a group is its representative gap, which points at
--     itself or is null). Same workspace enforced by a composite foreign key.
--   * question_embedding + embedding_model: the question's vector, for grouping.
--   * resolved_at: set when the status leaves 'open' (resolved or dismissed), cleared when it
--     returns to 'open' (trigger); resolved_automatically: closed by the system (e.g. a new Q&A
--     pair answered it) rather than by the owner.
--   * best_match_id, resolved_qa_id and session_id reference rows of the SAME workspace only
--     (composite foreign keys); deleting the referenced row sets just that column to null.
-- No updated_at (004: gaps are created once and status-transitioned).

CREATE FUNCTION public.normalize_question(question text) RETURNS text
  LANGUAGE sql
  IMMUTABLE STRICT PARALLEL SAFE
  RETURN pg_catalog.btrim(pg_catalog.regexp_replace(pg_catalog.lower(question), '\s+', ' ', 'g'));
COMMENT ON FUNCTION public.normalize_question(text) IS
  'Dedup key of open gaps: lower case, trimmed, inner whitespace collapsed to one space.';

CREATE TABLE public.qa_gaps (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id           uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  question               text NOT NULL CHECK (public.normalize_question(question) <> ''),
  ai_answer              text,
  best_match_id          uuid,
  similarity_score       double precision,
  session_id             uuid,
  status                 text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
  resolved_qa_id         uuid,
  created_at             timestamptz NOT NULL DEFAULT now(),
  ask_count              integer NOT NULL DEFAULT 1 CHECK (ask_count >= 1),
  last_asked_at          timestamptz NOT NULL DEFAULT now(),
  group_id               uuid,
  question_embedding     extensions.vector,
  embedding_model        text REFERENCES public.embedding_models (id),
  resolved_at            timestamptz,
  resolved_automatically boolean NOT NULL DEFAULT false,
  CONSTRAINT qa_gaps_id_workspace_id_key UNIQUE (id, workspace_id),
  CONSTRAINT qa_gaps_best_match_fkey FOREIGN KEY (best_match_id, workspace_id)
    REFERENCES public.qa_pairs (id, workspace_id) ON DELETE SET NULL (best_match_id),
  CONSTRAINT qa_gaps_resolved_qa_fkey FOREIGN KEY (resolved_qa_id, workspace_id)
    REFERENCES public.qa_pairs (id, workspace_id) ON DELETE SET NULL (resolved_qa_id),
  CONSTRAINT qa_gaps_session_fkey FOREIGN KEY (session_id, workspace_id)
    REFERENCES public.conversations (id, workspace_id) ON DELETE SET NULL (session_id),
  CONSTRAINT qa_gaps_group_fkey FOREIGN KEY (group_id, workspace_id)
    REFERENCES public.qa_gaps (id, workspace_id) ON DELETE SET NULL (group_id),
  CONSTRAINT qa_gaps_embedding_all_or_none_check CHECK ((question_embedding IS NULL) = (embedding_model IS NULL))
);
ALTER TABLE public.qa_gaps REPLICA IDENTITY FULL;
COMMENT ON COLUMN public.qa_gaps.group_id IS 'Representative gap of this gap''s group (self reference, same workspace); null = ungrouped.';

CREATE UNIQUE INDEX qa_gaps_open_question_unique ON public.qa_gaps (workspace_id, public.normalize_question(question))
  WHERE status = 'open';
CREATE INDEX idx_qa_gaps_workspace ON public.qa_gaps (workspace_id);
CREATE INDEX idx_qa_gaps_workspace_status ON public.qa_gaps (workspace_id, status);
CREATE INDEX idx_qa_gaps_workspace_last_asked ON public.qa_gaps (workspace_id, last_asked_at DESC);
CREATE INDEX idx_qa_gaps_group ON public.qa_gaps (group_id) WHERE group_id IS NOT NULL;
-- Lookups of the referencing columns when a Q&A pair or conversation is deleted.
CREATE INDEX idx_qa_gaps_best_match ON public.qa_gaps (best_match_id) WHERE best_match_id IS NOT NULL;
CREATE INDEX idx_qa_gaps_resolved_qa ON public.qa_gaps (resolved_qa_id) WHERE resolved_qa_id IS NOT NULL;
CREATE INDEX idx_qa_gaps_session ON public.qa_gaps (session_id) WHERE session_id IS NOT NULL;

CREATE TRIGGER check_embedding_dimensions_qa_gaps
  BEFORE INSERT OR UPDATE OF question_embedding, embedding_model ON public.qa_gaps
  FOR EACH ROW EXECUTE FUNCTION public.check_embedding_dimensions();

CREATE FUNCTION public.set_qa_gaps_resolved_at() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF NEW.status = 'open' THEN
    NEW.resolved_at := NULL;
  ELSIF TG_OP = 'INSERT' OR OLD.status = 'open' THEN
    NEW.resolved_at := COALESCE(NEW.resolved_at, now());
  END IF;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION public.set_qa_gaps_resolved_at() FROM PUBLIC, anon, authenticated;

CREATE TRIGGER set_resolved_at_qa_gaps
  BEFORE INSERT OR UPDATE OF status ON public.qa_gaps
  FOR EACH ROW EXECUTE FUNCTION public.set_qa_gaps_resolved_at();

ALTER TABLE public.qa_gaps ENABLE ROW LEVEL SECURITY;

CREATE POLICY qa_gaps_owner ON public.qa_gaps
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.qa_gaps FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.qa_gaps TO authenticated;
GRANT ALL ON TABLE public.qa_gaps TO service_role;
