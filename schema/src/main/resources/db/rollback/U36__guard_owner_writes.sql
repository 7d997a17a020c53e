-- U36: undo V36.
DROP POLICY storage_object_contents_owner ON public.storage_object_contents;
CREATE POLICY storage_object_contents_owner ON public.storage_object_contents
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

DROP TRIGGER guard_conversation_user ON public.conversations;
DROP FUNCTION public.guard_conversation_user();
