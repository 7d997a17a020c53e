-- V2: profiles (one per auth user) and workspaces (one per owner, the tenant), the shared
-- updated_at trigger function, and the sign-up trigger that creates both for every new
-- auth.users row.
--
-- Conventions of every Clara migration:
--   * every object is schema-qualified; the vector type and its operators live in "extensions";
--   * every table has row-level security, policies are TO authenticated (never TO public) and
--     every policy that admits writes has a WITH CHECK, so no row can be moved to another tenant;
--   * privileges are revoked first and then granted as schema/README.md's access table says
--     (Supabase's default privileges would otherwise give anon and authenticated everything).

CREATE FUNCTION public.set_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION public.set_updated_at() FROM PUBLIC, anon, authenticated;

-- ───────────────────────────── profiles ─────────────────────────────
-- 001's profiles + user_settings, 003's profiles (display_name, preferences).
CREATE TABLE public.profiles (
  id           uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  username     text UNIQUE,
  display_name text,
  full_name    text,
  avatar_url   text,
  preferences  jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(preferences) = 'object'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.profiles IS
  'Application data of an auth user (001 profiles + user_settings, 003 profiles). preferences holds theme, notification preferences and the like.';

CREATE TRIGGER set_updated_at_profiles
  BEFORE UPDATE ON public.profiles
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;

CREATE POLICY profiles_select_own ON public.profiles
  FOR SELECT TO authenticated
  USING (id = (SELECT auth.uid()));
CREATE POLICY profiles_insert_own ON public.profiles
  FOR INSERT TO authenticated
  WITH CHECK (id = (SELECT auth.uid()));
CREATE POLICY profiles_update_own ON public.profiles
  FOR UPDATE TO authenticated
  USING (id = (SELECT auth.uid()))
  WITH CHECK (id = (SELECT auth.uid()));

REVOKE ALL ON TABLE public.profiles FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE ON TABLE public.profiles TO authenticated;
GRANT ALL ON TABLE public.profiles TO service_role;

-- ───────────────────────────── workspaces ─────────────────────────────
CREATE TABLE public.workspaces (
  id       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  name     text NOT NULL DEFAULT 'My Chatbot',
  -- 004's settings JSON, except: confidence_threshold null = "the current embedding model's
  -- default" (embedding_models.confidence_threshold); allowed_origins = the widget's sites
  -- (empty = any).
  settings jsonb NOT NULL DEFAULT '{
    "display_name": "Clara",
    "welcome_message": "Hi! How can I help you today?",
    "placeholder_text": "Type your message...",
    "suggested_messages": [],
    "booking_url": null,
    "primary_color": "#6366f1",
    "bubble_color": "#000000",
    "bubble_position": "right",
    "avatar_url": null,
    "chat_icon_url": null,
    "personality_prompt": "### Business Context\nDescribe what your company does, your key services, and your target audience.\n\n### Role\nYou are Clara, a friendly and knowledgeable virtual assistant. Your primary role is to answer questions accurately using the knowledge base provided. Be conversational, helpful, and professional.\n\n### Constraints\n1. Only answer from the knowledge base context provided.\n2. If you don''t have enough information, be honest and suggest booking a call.\n3. Never make up information or speculate beyond what the knowledge base contains.\n4. Keep responses concise — 2-4 sentences for simple questions.",
    "confidence_threshold": null,
    "max_suggestion_chips": 3,
    "escalation_enabled": true,
    "powered_by_clara": true,
    "allowed_origins": []
  }'::jsonb,
  onboarding_completed_steps jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT workspaces_owner_id_key UNIQUE (owner_id),
  CONSTRAINT workspaces_settings_check CHECK (
    jsonb_typeof(settings) = 'object'
    AND CASE jsonb_typeof(settings -> 'confidence_threshold')
          WHEN 'number' THEN (settings ->> 'confidence_threshold')::numeric BETWEEN 0 AND 1
          ELSE COALESCE(settings -> 'confidence_threshold', 'null'::jsonb) = 'null'::jsonb
        END
    AND jsonb_typeof(COALESCE(settings -> 'allowed_origins', '[]'::jsonb)) = 'array'
    AND jsonb_typeof(COALESCE(settings -> 'suggested_messages', '[]'::jsonb)) = 'array'
  ),
  CONSTRAINT workspaces_onboarding_completed_steps_check CHECK (jsonb_typeof(onboarding_completed_steps) = 'array')
);
COMMENT ON TABLE public.workspaces IS 'One workspace per user. Multi-tenant isolation unit.';
COMMENT ON COLUMN public.workspaces.settings IS
  '004 settings JSON. confidence_threshold null = the embedding model''s default (embedding_models.confidence_threshold); allowed_origins [] = any site.';

CREATE TRIGGER set_updated_at_workspaces
  BEFORE UPDATE ON public.workspaces
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.workspaces ENABLE ROW LEVEL SECURITY;

CREATE POLICY workspace_owner ON public.workspaces
  FOR ALL TO authenticated
  USING (owner_id = (SELECT auth.uid()))
  WITH CHECK (owner_id = (SELECT auth.uid()));

REVOKE ALL ON TABLE public.workspaces FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.workspaces TO authenticated;
GRANT ALL ON TABLE public.workspaces TO service_role;

-- ───────────────────────────── sign-up trigger ─────────────────────────────
-- A new auth user gets a profile and a workspace. SECURITY DEFINER (the migration owner owns
-- both tables) so that it works whoever inserts into auth.users (Supabase Auth's own role).
-- Anonymous sign-ins (Supabase's is_anonymous) get a profile but no workspace.
CREATE FUNCTION public.handle_new_auth_user() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  meta jsonb := COALESCE(NEW.raw_user_meta_data, '{}'::jsonb);
BEGIN
  INSERT INTO public.profiles (id, display_name, full_name, avatar_url)
  VALUES (NEW.id,
          COALESCE(meta ->> 'display_name', meta ->> 'name', meta ->> 'full_name'),
          meta ->> 'full_name',
          meta ->> 'avatar_url')
  ON CONFLICT (id) DO NOTHING;

  IF COALESCE((to_jsonb(NEW) ->> 'is_anonymous')::boolean, false) = false THEN
    INSERT INTO public.workspaces (owner_id)
    VALUES (NEW.id)
    ON CONFLICT (owner_id) DO NOTHING;
  END IF;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION public.handle_new_auth_user() FROM PUBLIC, anon, authenticated;

-- Not named on_auth_user_created: Supabase projects often have a trigger of that name already.
CREATE TRIGGER clara_on_auth_user_created
  AFTER INSERT ON auth.users
  FOR EACH ROW EXECUTE FUNCTION public.handle_new_auth_user();
