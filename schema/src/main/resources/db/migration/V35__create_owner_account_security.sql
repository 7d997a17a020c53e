-- V35: owner-account hardening of chat-api's standalone sign-in (package dev.clara.chat.owner.auth).
--
--   * owner_account_tokens: single-use tokens mailed to an account's owner: 'confirm' (confirm the
--     e-mail address of a new account) and 'recover' (set a new password). Only a SHA-256 of each
--     token is stored, like owner_refresh_tokens; a token works once (used_at) and until expires_at.
--   * owner_auth_throttle: fixed-window attempt counters of the sign-in, sign-up, refresh and
--     password endpoints, shared by every chat-api replica. bucket names what is limited
--     ('address:…', 'signin:…', 'mail:…'); rows older than the longest window are pruned by chat-api.
--     A table of its own rather than rows in rate_limit_counters (V21): that table's pruning
--     follows the public chat API's window, shorter than the 15-minute account window here.
--
-- Both are service role only: RLS on, no policy.
--
-- Existing accounts count as confirmed: accounts of the auth shim (V1) without email_confirmed_at
-- get their creation time. On a real Supabase, auth.users is Supabase Auth's and is left alone.

-- ───────────────────────────── owner_account_tokens ─────────────────────────────
CREATE TABLE public.owner_account_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  purpose     text NOT NULL CHECK (purpose IN ('confirm', 'recover')),
  token_hash  text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
COMMENT ON TABLE public.owner_account_tokens IS
  'Single-use e-mail confirmation and password reset tokens of standalone accounts (SHA-256 only). Service role only.';

CREATE INDEX idx_owner_account_tokens_user ON public.owner_account_tokens (user_id);
CREATE INDEX idx_owner_account_tokens_expires ON public.owner_account_tokens (expires_at);

ALTER TABLE public.owner_account_tokens ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.owner_account_tokens FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE public.owner_account_tokens TO service_role;

-- ───────────────────────────── owner_auth_throttle ─────────────────────────────
CREATE TABLE public.owner_auth_throttle (
  bucket       text NOT NULL CHECK (length(bucket) <= 300),
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL DEFAULT 1 CHECK (hits >= 0),
  PRIMARY KEY (bucket, window_start)
);
COMMENT ON TABLE public.owner_auth_throttle IS
  'Owner sign-in/sign-up/refresh/password attempt counters per bucket and fixed window, shared by chat-api replicas. Service role only.';

CREATE INDEX idx_owner_auth_throttle_window_start ON public.owner_auth_throttle (window_start);

ALTER TABLE public.owner_auth_throttle ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.owner_auth_throttle FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE public.owner_auth_throttle TO service_role;

-- ───────────────────────────── existing accounts are confirmed ─────────────────────────────
DO $$
BEGIN
  IF coalesce(obj_description('auth.users'::regclass, 'pg_class'), '') LIKE 'clara-shim%' THEN
    UPDATE auth.users SET email_confirmed_at = created_at WHERE email_confirmed_at IS NULL AND NOT is_anonymous;
  END IF;
END
$$;
