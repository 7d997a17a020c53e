-- V37: per-workspace monthly token budget. The budget is a workspace setting
-- (settings.monthly_token_budget: absent or null = no cap, else a positive whole number); the
-- month's spend is the sum of api_usage.total_tokens since the start of the UTC month, read by
-- every chat turn, so the index carries total_tokens and the sum never visits the table.
-- api_usage now also records embedding calls made on a workspace's behalf (purpose).

ALTER TABLE public.workspaces
  ADD CONSTRAINT workspaces_monthly_token_budget_check CHECK (
    CASE jsonb_typeof(settings -> 'monthly_token_budget')
      WHEN 'number' THEN (settings ->> 'monthly_token_budget')::numeric >= 1
                     AND (settings ->> 'monthly_token_budget')::numeric = trunc((settings ->> 'monthly_token_budget')::numeric)
      ELSE COALESCE(settings -> 'monthly_token_budget', 'null'::jsonb) = 'null'::jsonb
    END
  );

ALTER TABLE public.api_usage
  ADD COLUMN purpose text NOT NULL DEFAULT 'completion'
    CONSTRAINT api_usage_purpose_check CHECK (purpose IN ('completion', 'embedding'));
COMMENT ON COLUMN public.api_usage.purpose IS
  'completion: an LLM answer; embedding: a remote embedding call made for the workspace. Both count toward settings.monthly_token_budget.';
COMMENT ON TABLE public.api_usage IS
  'LLM and remote embedding calls: tokens and latency. Written by the services (service_role); owners read.';

CREATE INDEX idx_api_usage_workspace_created_tokens
  ON public.api_usage (workspace_id, created_at) INCLUDE (total_tokens);
DROP INDEX public.idx_api_usage_workspace_created;
