-- V59: which transactions changed a workspace's Q&A pairs, so that chat-api can search a copy of
-- them in memory and still answer from exactly what the database holds.
--
-- chat-api loads a workspace's searchable pairs (active, embedded by the search model) together
-- with the statement's snapshot (pg_current_snapshot()). On each turn, the query that reads the
-- workspace's settings also asks whether any transaction that changed the workspace's pairs is not
-- visible in that snapshot (pg_visible_in_snapshot); only when none is does the turn search the
-- copy. Every INSERT, UPDATE, DELETE and TRUNCATE of qa_pairs notes its transaction here, one row
-- per workspace and transaction, from a statement-level trigger: no row of a shared table is
-- updated, so concurrent writers (two embedding workers, an owner's edit) never wait for each
-- other here. A row is kept a day; chat-api reloads a copy that is an hour old, so a pruned row
-- is always older than every copy in use (a transaction that ran longer than a day could be
-- missed, which chat-api's maximum age documents).
--
-- A workspace's rows go with it. Deleting a workspace deletes its pairs after the workspace row,
-- in the same statement; that change is not noted (there is nothing left to search).

CREATE TABLE public.qa_pair_search_changes (
  workspace_id uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  xact         xid8 NOT NULL,
  changed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (workspace_id, xact)
);
CREATE INDEX idx_qa_pair_search_changes_changed_at ON public.qa_pair_search_changes (changed_at);
ALTER TABLE public.qa_pair_search_changes ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.qa_pair_search_changes FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE public.qa_pair_search_changes TO service_role;
COMMENT ON TABLE public.qa_pair_search_changes IS
  'Transactions that changed a workspace''s qa_pairs (kept a day): chat-api''s in-memory search copy is current while none is outside its snapshot.';

-- SECURITY DEFINER: an owner's role changes its pairs but has no rights on the table. Old rows are
-- pruned with SKIP LOCKED so that two writers never wait for each other's pruning.
CREATE FUNCTION public.note_qa_pair_search_change() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO public.qa_pair_search_changes (workspace_id, xact)
    SELECT w.id, pg_current_xact_id() FROM public.workspaces w
    ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO public.qa_pair_search_changes (workspace_id, xact)
    SELECT w.id, pg_current_xact_id() FROM public.workspaces w
     WHERE w.id IN (SELECT workspace_id FROM changed_rows UNION SELECT workspace_id FROM old_rows)
    ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO public.qa_pair_search_changes (workspace_id, xact)
    SELECT w.id, pg_current_xact_id() FROM public.workspaces w
     WHERE w.id IN (SELECT workspace_id FROM changed_rows)
    ON CONFLICT DO NOTHING;
  END IF;
  DELETE FROM public.qa_pair_search_changes
   WHERE ctid = ANY (ARRAY(SELECT c.ctid FROM public.qa_pair_search_changes c
                            WHERE c.changed_at < clock_timestamp() - interval '1 day'
                            LIMIT 100 FOR UPDATE SKIP LOCKED));
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.note_qa_pair_search_change() FROM PUBLIC, anon, authenticated;

CREATE TRIGGER note_search_change_on_insert
  AFTER INSERT ON public.qa_pairs REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.note_qa_pair_search_change();
CREATE TRIGGER note_search_change_on_update
  AFTER UPDATE ON public.qa_pairs REFERENCING OLD TABLE AS old_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.note_qa_pair_search_change();
CREATE TRIGGER note_search_change_on_delete
  AFTER DELETE ON public.qa_pairs REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION public.note_qa_pair_search_change();
CREATE TRIGGER note_search_change_on_truncate
  AFTER TRUNCATE ON public.qa_pairs
  FOR EACH STATEMENT EXECUTE FUNCTION public.note_qa_pair_search_change();
