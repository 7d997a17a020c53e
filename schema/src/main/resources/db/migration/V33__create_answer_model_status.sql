-- V33: whether a workspace's answer model is waiting for training, for its owner.
--
-- answer_model_requests is the trainer's queue and stays the service's table (no grant, no
-- policy: its leases are no owner's business). The owner API shows "training requested" beside
-- the model's status, so this function reads the one row of the caller's own workspace with the
-- definer's rights. Ownership is checked against auth.uid() exactly as the owner policies check
-- it: any other workspace id (or a caller without a sub) gets no row, as if nothing were waiting.

CREATE FUNCTION public.answer_model_request_status(p_workspace_id uuid)
  RETURNS TABLE (first_requested_at timestamptz, last_requested_at timestamptz, in_progress boolean)
  LANGUAGE sql
  STABLE
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT r.first_requested_at, r.last_requested_at, coalesce(r.claimed_until > now(), false)
    FROM public.answer_model_requests r
    WHERE r.workspace_id = p_workspace_id
      AND r.workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid()))
  $$;
COMMENT ON FUNCTION public.answer_model_request_status(uuid) IS
  'The pending training request of the caller''s own workspace (in_progress: a trainer holds its lease); no row when none, or when the workspace is not the caller''s.';
REVOKE ALL ON FUNCTION public.answer_model_request_status(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.answer_model_request_status(uuid) TO authenticated;
