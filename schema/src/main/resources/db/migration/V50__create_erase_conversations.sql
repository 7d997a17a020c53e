-- V50: erase_conversations, the one rule for erasing a person's conversations (a signed-in
-- visitor deleting their history, or an owner erasing an end user at that person's request).
--
-- Messages go with their conversations (and with them the ratings and document links that
-- cascade). What the owner's figures keep must carry nothing the person wrote:
--   * a gap first asked in an erased conversation and asked only there (ask_count 1) is deleted;
--     one that other visitors asked too keeps its question (no longer one person's words) but
--     loses the visitor's feedback comment and its link (the foreign key sets it null);
--   * an open phrasing suggestion taken from an erased conversation is deleted;
--   * api_usage keeps its token counts (no content), unlinked by its foreign key.
-- The chat API calls it with the service's rights, naming the workspace, for a visitor's own request
-- and, once the owner API has found the end user under the owner's row-level security, for an
-- owner's; owners cannot call it directly.

CREATE FUNCTION public.erase_conversations(p_workspace_id uuid, p_conversation_ids uuid[]) RETURNS integer
  LANGUAGE plpgsql
  SECURITY INVOKER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  erased integer;
BEGIN
  DELETE FROM public.qa_gaps g
   WHERE g.workspace_id = p_workspace_id AND g.session_id = ANY (p_conversation_ids) AND g.ask_count <= 1;
  UPDATE public.qa_gaps g SET feedback_comment = NULL
   WHERE g.workspace_id = p_workspace_id AND g.session_id = ANY (p_conversation_ids) AND g.feedback_comment IS NOT NULL;
  DELETE FROM public.phrasing_suggestions s
   WHERE s.workspace_id = p_workspace_id AND s.source_conversation_id = ANY (p_conversation_ids) AND s.status = 'open';
  DELETE FROM public.conversations c
   WHERE c.workspace_id = p_workspace_id AND c.id = ANY (p_conversation_ids);
  GET DIAGNOSTICS erased = ROW_COUNT;
  RETURN erased;
END
$$;
REVOKE ALL ON FUNCTION public.erase_conversations(uuid, uuid[]) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.erase_conversations(uuid, uuid[]) TO service_role;
COMMENT ON FUNCTION public.erase_conversations(uuid, uuid[]) IS
  'Erases conversations with their messages, and what gaps and phrasing suggestions kept of the person''s words.';
