-- V10: the transactional outbox and the consumers' processed-events table.
--
-- outbox_events: written in the same transaction as the data an event describes; the CDC relay
-- (Debezium's outbox EventRouter) publishes each row to Kafka, keyed by workspace. Rows are kept
-- for a retention (default 7 days) so delivery can be audited and replayed, then removed by
-- prune_outbox_events(retention). No foreign key to workspaces: events outlive their workspace.
-- processed_events: (consumer, event_id) of every event a consumer has applied, for idempotent
-- consumers (INSERT ... ON CONFLICT DO NOTHING in the consumer's transaction); pruned the same way.
-- Both are service_role only: row-level security is on with no policy, and neither anon nor
-- authenticated has any privilege.

CREATE TABLE public.outbox_events (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id   uuid NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id   text NOT NULL,
  event_type     text NOT NULL,
  event_version  integer NOT NULL DEFAULT 1 CHECK (event_version >= 1),
  payload        jsonb NOT NULL,
  occurred_at    timestamptz NOT NULL DEFAULT now(),
  created_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.outbox_events IS 'Transactional outbox; id is the event id. Relayed by CDC, pruned after the retention (prune_outbox_events).';

CREATE INDEX idx_outbox_events_created_at ON public.outbox_events (created_at);

CREATE TABLE public.processed_events (
  consumer     text NOT NULL,
  event_id     uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
COMMENT ON TABLE public.processed_events IS 'Events a consumer has applied (idempotent consumers). Pruned by prune_processed_events.';

CREATE INDEX idx_processed_events_processed_at ON public.processed_events (processed_at);

ALTER TABLE public.outbox_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.processed_events ENABLE ROW LEVEL SECURITY;

REVOKE ALL ON TABLE public.outbox_events, public.processed_events FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE public.outbox_events, public.processed_events TO service_role;

-- Retention. Returns the number of rows removed. The caller (the CDC relay, on a schedule)
-- passes the configured retention.
CREATE FUNCTION public.prune_outbox_events(retention interval DEFAULT interval '7 days') RETURNS bigint
  LANGUAGE sql
  SET search_path = pg_catalog, pg_temp
  AS $$
    WITH deleted AS (
      DELETE FROM public.outbox_events WHERE created_at < now() - retention RETURNING 1
    )
    SELECT count(*) FROM deleted;
  $$;
CREATE FUNCTION public.prune_processed_events(retention interval DEFAULT interval '7 days') RETURNS bigint
  LANGUAGE sql
  SET search_path = pg_catalog, pg_temp
  AS $$
    WITH deleted AS (
      DELETE FROM public.processed_events WHERE processed_at < now() - retention RETURNING 1
    )
    SELECT count(*) FROM deleted;
  $$;
REVOKE ALL ON FUNCTION public.prune_outbox_events(interval), public.prune_processed_events(interval)
  FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.prune_outbox_events(interval), public.prune_processed_events(interval)
  TO service_role;
