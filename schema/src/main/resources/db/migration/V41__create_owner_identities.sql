-- V41: owner accounts linked to an outside sign-in (OAuth / OpenID Connect) of chat-api's
-- dashboard (package dev.clara.chat.owner.browser).
--
--   * owner_identities: one row per (issuer, subject) an owner has signed in with: an OpenID
--     Connect issuer's `iss` and `sub`, or GitHub's API URL and numeric user id. An identity is
--     linked to exactly one account, once; later sign-ins with it find the account by this row
--     alone, whatever e-mail address the provider reports then. `email` is the verified address the
--     provider gave when the link was made (for the owner's and the operator's information only).
--     No tokens of the provider are stored.
--
-- Service role only: RLS on, no policy (the sign-in runs before there is an identity).

CREATE TABLE public.owner_identities (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  provider        text NOT NULL CHECK (provider ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  issuer          text NOT NULL CHECK (char_length(issuer) BETWEEN 1 AND 500),
  subject         text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 255),
  email           text CHECK (char_length(email) <= 320),
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz,
  UNIQUE (issuer, subject)
);
COMMENT ON TABLE public.owner_identities IS
  'Outside sign-ins (OIDC issuer + subject, GitHub user id) linked to standalone owner accounts. Service role only.';

CREATE INDEX idx_owner_identities_user ON public.owner_identities (user_id);

ALTER TABLE public.owner_identities ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.owner_identities FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE public.owner_identities TO service_role;
