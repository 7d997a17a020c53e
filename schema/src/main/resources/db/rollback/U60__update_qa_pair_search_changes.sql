-- U60: undo V60 (the foreign key back, rows of deleted workspaces removed first; V59's trigger function).
DROP TRIGGER forget_search_changes_on_delete ON public.workspaces;
DROP FUNCTION public.forget_qa_pair_search_changes();

CREATE OR REPLACE FUNCTION public.note_qa_pair_search_change() RETURNS trigger
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

DELETE FROM public.qa_pair_search_changes c
 WHERE NOT EXISTS (SELECT 1 FROM public.workspaces w WHERE w.id = c.workspace_id);
ALTER TABLE public.qa_pair_search_changes
  ADD CONSTRAINT qa_pair_search_changes_workspace_id_fkey
  FOREIGN KEY (workspace_id) REFERENCES public.workspaces (id) ON DELETE CASCADE;
