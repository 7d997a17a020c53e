-- U37: undo V37.
CREATE INDEX idx_api_usage_workspace_created ON public.api_usage (workspace_id, created_at);
DROP INDEX public.idx_api_usage_workspace_created_tokens;

COMMENT ON TABLE public.api_usage IS 'LLM calls: tokens and latency. Written by the services (service_role); owners read.';
ALTER TABLE public.api_usage DROP COLUMN purpose;

ALTER TABLE public.workspaces DROP CONSTRAINT workspaces_monthly_token_budget_check;
