-- V60: qa_pair_search_changes without its foreign key to workspaces.
--
-- V59's foreign key made every statement that changes qa_pairs take a KEY SHARE lock on its
-- workspace's row (to insert the noted change), which a statement on qa_pairs had not needed
-- before. The embedding worker's model switch locks the workspace row FOR UPDATE and then updates
-- the workspace's pairs; an embedding write to one of those pairs that had already locked its row
-- then waited for the workspace row while the switch waited for the pair: a deadlock. Without the
-- key nothing on qa_pairs locks the workspace row again. A deleted workspace's rows now go with it
-- by a trigger on workspaces; a row a racing transaction leaves behind is pruned after a day like
-- any other.
--
-- Also: the day-old rows are pruned only by a statement that noted a new change (once per
-- transaction and workspace), not by every statement, so the embedding worker's one-pair writes
-- pay for the insert alone.

ALTER TABLE public.qa_pair_search_changes DROP CONSTRAINT qa_pair_search_changes_workspace_id_fkey;

CREATE OR REPLACE FUNCTION public.note_qa_pair_search_change() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  noted bigint;
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
  GET DIAGNOSTICS noted = ROW_COUNT;
  IF noted > 0 THEN
    DELETE FROM public.qa_pair_search_changes
     WHERE ctid = ANY (ARRAY(SELECT c.ctid FROM public.qa_pair_search_changes c
                              WHERE c.changed_at < clock_timestamp() - interval '1 day'
                              LIMIT 100 FOR UPDATE SKIP LOCKED));
  END IF;
  RETURN NULL;
END
$$;

-- SECURITY DEFINER: an owner deletes their workspace but has no rights on the table.
CREATE FUNCTION public.forget_qa_pair_search_changes() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  DELETE FROM public.qa_pair_search_changes c USING deleted_workspaces d WHERE c.workspace_id = d.id;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.forget_qa_pair_search_changes() FROM PUBLIC, anon, authenticated;

CREATE TRIGGER forget_search_changes_on_delete
  AFTER DELETE ON public.workspaces REFERENCING OLD TABLE AS deleted_workspaces
  FOR EACH STATEMENT EXECUTE FUNCTION public.forget_qa_pair_search_changes();
