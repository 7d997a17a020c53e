-- V38: spend_cap_events, one row per workspace and UTC month in which the recorded tokens reached
-- the monthly token budget (V37). Its primary key decides who announces it: chat-api inserts the
-- row with ON CONFLICT DO NOTHING RETURNING in the transaction that records the usage, and only
-- the insert that returns a row writes the SpendCapReached outbox event, so two replicas (or two
-- turns) crossing the budget at once announce it once. Owners read it (the usage endpoint shows
-- when the cap was reached); only the services write.

CREATE TABLE public.spend_cap_events (
  workspace_id uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  month        date NOT NULL CONSTRAINT spend_cap_events_month_check CHECK (month = date_trunc('month', month)::date),
  budget       bigint NOT NULL CONSTRAINT spend_cap_events_budget_check CHECK (budget >= 1),
  tokens       bigint NOT NULL CONSTRAINT spend_cap_events_tokens_check CHECK (tokens >= budget),
  reached_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, month)
);
COMMENT ON TABLE public.spend_cap_events IS
  'The UTC months in which a workspace''s recorded tokens reached settings.monthly_token_budget; the primary key makes SpendCapReached once per workspace and month. Written by chat-api (service_role); owners read.';
COMMENT ON COLUMN public.spend_cap_events.month IS 'The first day of the UTC month.';
COMMENT ON COLUMN public.spend_cap_events.tokens IS 'The month''s recorded tokens when the budget was found reached (at least budget).';

ALTER TABLE public.spend_cap_events ENABLE ROW LEVEL SECURITY;

CREATE POLICY spend_cap_events_owner_read ON public.spend_cap_events
  FOR SELECT TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.spend_cap_events FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.spend_cap_events TO authenticated;
GRANT ALL ON TABLE public.spend_cap_events TO service_role;
