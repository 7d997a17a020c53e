-- V23: what the owner API (chat-api, package dev.clara.chat.owner) keeps in the database.
--
--   * qa_import_jobs / qa_import_rows: a CSV import of Q&A pairs and its per-row report
--     (imported, duplicate, invalid + reason). The job is written batch by batch under the
--     owner's row-level security, so every replica can show its progress and a crash loses at
--     most the batch in flight (re-uploading the file imports only what is missing).
--   * owner_refresh_tokens: refresh tokens of Clara's standalone sign-in (Supabase Auth keeps its
--     own). Only a SHA-256 of each token is stored; tokens rotate on use and a reused token
--     revokes its whole session. Service role only: RLS on, no policy.
--   * storage_object_contents: the bytes of storage objects (avatars, chat icons). The shim's
--     storage.objects holds metadata only (Supabase keeps bytes in its storage backend); the
--     owner writes both under storage.objects' policies and this table's, the public read is
--     served by chat-api for public buckets.

-- ───────────────────────────── qa_import_jobs ─────────────────────────────
CREATE TABLE public.qa_import_jobs (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id   uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  created_by     uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  file_name      text CHECK (char_length(file_name) <= 255),
  file_sha256    text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  file_bytes     bigint NOT NULL CHECK (file_bytes >= 0),
  status         text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  total_rows     integer CHECK (total_rows >= 0),
  processed_rows integer NOT NULL DEFAULT 0 CHECK (processed_rows >= 0),
  imported_rows  integer NOT NULL DEFAULT 0 CHECK (imported_rows >= 0),
  duplicate_rows integer NOT NULL DEFAULT 0 CHECK (duplicate_rows >= 0),
  invalid_rows   integer NOT NULL DEFAULT 0 CHECK (invalid_rows >= 0),
  error          text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  finished_at    timestamptz,
  CONSTRAINT qa_import_jobs_id_workspace_id_key UNIQUE (id, workspace_id)
);
COMMENT ON TABLE public.qa_import_jobs IS
  'CSV imports of Q&A pairs: progress (processed_rows of total_rows) and outcome counts. updated_at moves with every batch.';
COMMENT ON COLUMN public.qa_import_jobs.total_rows IS 'Data records in the file (header and blank lines excluded); null until counted.';

CREATE INDEX idx_qa_import_jobs_workspace_created ON public.qa_import_jobs (workspace_id, created_at DESC);

CREATE TRIGGER set_updated_at_qa_import_jobs
  BEFORE UPDATE ON public.qa_import_jobs
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.qa_import_jobs ENABLE ROW LEVEL SECURITY;

CREATE POLICY qa_import_jobs_owner ON public.qa_import_jobs
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.qa_import_jobs FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.qa_import_jobs TO authenticated;
GRANT ALL ON TABLE public.qa_import_jobs TO service_role;

-- ───────────────────────────── qa_import_rows ─────────────────────────────
CREATE TABLE public.qa_import_rows (
  job_id       uuid NOT NULL,
  workspace_id uuid NOT NULL,
  row_number   integer NOT NULL CHECK (row_number >= 1),
  line_number  integer NOT NULL CHECK (line_number >= 1),
  outcome      text NOT NULL CHECK (outcome IN ('imported', 'duplicate', 'invalid')),
  reason       text,
  question     text,
  qa_pair_id   uuid,
  PRIMARY KEY (job_id, row_number),
  CONSTRAINT qa_import_rows_job_fkey FOREIGN KEY (job_id, workspace_id)
    REFERENCES public.qa_import_jobs (id, workspace_id) ON DELETE CASCADE,
  CONSTRAINT qa_import_rows_qa_pair_fkey FOREIGN KEY (qa_pair_id, workspace_id)
    REFERENCES public.qa_pairs (id, workspace_id) ON DELETE SET NULL (qa_pair_id)
);
COMMENT ON TABLE public.qa_import_rows IS
  'Per-row report of a CSV import. row_number counts data records from 1; line_number is where the record starts in the file.';

CREATE INDEX idx_qa_import_rows_job_outcome ON public.qa_import_rows (job_id, outcome, row_number);
CREATE INDEX idx_qa_import_rows_workspace ON public.qa_import_rows (workspace_id);
CREATE INDEX idx_qa_import_rows_qa_pair ON public.qa_import_rows (qa_pair_id) WHERE qa_pair_id IS NOT NULL;

ALTER TABLE public.qa_import_rows ENABLE ROW LEVEL SECURITY;

CREATE POLICY qa_import_rows_owner ON public.qa_import_rows
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.qa_import_rows FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, DELETE ON TABLE public.qa_import_rows TO authenticated;
GRANT ALL ON TABLE public.qa_import_rows TO service_role;

-- ───────────────────────────── owner_refresh_tokens ─────────────────────────────
CREATE TABLE public.owner_refresh_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id  uuid NOT NULL,
  user_id     uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  token_hash  text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz
);
COMMENT ON TABLE public.owner_refresh_tokens IS
  'Standalone sign-in refresh tokens (SHA-256 only), rotated on use; a reused token revokes its session. Service role only.';

CREATE INDEX idx_owner_refresh_tokens_session ON public.owner_refresh_tokens (session_id);
CREATE INDEX idx_owner_refresh_tokens_user ON public.owner_refresh_tokens (user_id);
CREATE INDEX idx_owner_refresh_tokens_expires ON public.owner_refresh_tokens (expires_at);

ALTER TABLE public.owner_refresh_tokens ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.owner_refresh_tokens FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE public.owner_refresh_tokens TO service_role;

-- ───────────────────────────── storage_object_contents ─────────────────────────────
CREATE TABLE public.storage_object_contents (
  object_id    uuid PRIMARY KEY REFERENCES storage.objects (id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  content      bytea NOT NULL CHECK (octet_length(content) <= 5242880),
  content_type text NOT NULL CHECK (content_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.storage_object_contents IS
  'Bytes of storage.objects rows written through Clara (the shim keeps metadata only). Public buckets are served by chat-api.';

CREATE INDEX idx_storage_object_contents_workspace ON public.storage_object_contents (workspace_id);

CREATE TRIGGER set_updated_at_storage_object_contents
  BEFORE UPDATE ON public.storage_object_contents
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.storage_object_contents ENABLE ROW LEVEL SECURITY;

CREATE POLICY storage_object_contents_owner ON public.storage_object_contents
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.storage_object_contents FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.storage_object_contents TO authenticated;
GRANT ALL ON TABLE public.storage_object_contents TO service_role;
