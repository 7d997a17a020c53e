-- V36: two writes an owner with direct PostgREST access could make that the owner API never makes.
--
-- 1. conversations.user_id: the owner policy checks only the workspace, so an owner could link a
--    conversation to any user of the project, who would then read it through
--    conversations_select_own. The link is the chat API's to make (service role): a signed-in
--    role may not set or change it. A policy cannot compare a row's old and new values; a
--    trigger can.
-- 2. storage_object_contents: the policy tied the row to the owner's workspace but not the object
--    to the workspace's folder, so an owner could attach bytes to another workspace's object
--    (served publicly under that workspace's path). The object must now be in the row's
--    workspace folder.

CREATE FUNCTION public.guard_conversation_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_user IN ('authenticated', 'anon')
     AND ((TG_OP = 'INSERT' AND NEW.user_id IS NOT NULL)
          OR (TG_OP = 'UPDATE' AND NEW.user_id IS DISTINCT FROM OLD.user_id)) THEN
    RAISE EXCEPTION 'conversations.user_id is set by the chat API only'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION public.guard_conversation_user() IS
  'Signed-in roles may not link a conversation to a user; the chat API (service role) does.';

CREATE TRIGGER guard_conversation_user
  BEFORE INSERT OR UPDATE OF user_id ON public.conversations
  FOR EACH ROW EXECUTE FUNCTION public.guard_conversation_user();

DROP POLICY storage_object_contents_owner ON public.storage_object_contents;
CREATE POLICY storage_object_contents_owner ON public.storage_object_contents
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (
    workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid()))
    AND object_id IN (
      SELECT o.id FROM storage.objects o WHERE (storage.foldername(o.name))[1] = workspace_id::text
    )
  );
