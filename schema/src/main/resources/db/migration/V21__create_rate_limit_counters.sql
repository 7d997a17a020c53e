-- V21: fixed-window request counters of the public chat API, shared by every chat-api replica.
-- One row per (bucket, window): bucket names what is limited ('ip:…', 'session:…', 'workspace:…').
-- Rows older than two windows are pruned by chat-api. Service role only: RLS on, no policy.

CREATE TABLE public.rate_limit_counters (
  bucket       text NOT NULL CHECK (length(bucket) <= 300),
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL DEFAULT 1 CHECK (hits >= 0),
  PRIMARY KEY (bucket, window_start)
);
COMMENT ON TABLE public.rate_limit_counters IS 'Public chat API rate limits: hits per bucket and fixed window.';

CREATE INDEX idx_rate_limit_counters_window_start ON public.rate_limit_counters (window_start);

ALTER TABLE public.rate_limit_counters ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.rate_limit_counters FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE public.rate_limit_counters TO service_role;
