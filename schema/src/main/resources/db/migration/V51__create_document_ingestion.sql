-- V51: documents become uploadable and ingestible (V8 created the tables; nothing filled them).
--
--   * bucket `documents` (private): an owner's original files at documents/{workspace_id}/{document_id}/v{n},
--     under storage.objects policies like the avatar bucket's (the first folder must be a workspace
--     the signed-in user owns), but with no public read: owners read their own objects only.
--   * storage_object_contents holds a document's bytes too: its size check grows from 5 MiB to
--     64 MiB (chat-api's own limit, clara.owner.documents.max-bytes, is 50 MB by default).
--   * documents: `version` (the newest upload, counted from 1), `serving_version` (the version whose
--     chunks answer questions; null until the first version is ready), `failure_reason` (for the
--     owner, when status is failed), `file_name` and `sha256` of the upload. A new version keeps
--     the previous version's chunks serving until its own are all embedded, then replaces them
--     in one transaction: there is no moment where the document answers nothing.
--   * document_chunks: `document_version` (chunks of two versions live side by side while the
--     newer is ingested), unique per (document, version, index); `search_text` for full-text search.
--   * document_chunk_staged_embeddings: during an embedding model switch, the new model's chunk
--     vectors wait here (like qa_pair_staged_embeddings) until the workspace moves over.

INSERT INTO storage.buckets (id, name, public)
VALUES ('documents', 'documents', false)
ON CONFLICT (id) DO NOTHING;

CREATE POLICY "Owners read own documents"
  ON storage.objects FOR SELECT
  TO authenticated
  USING (
    bucket_id = 'documents'
    AND (storage.foldername(name))[1] IN (
      SELECT w.id::text FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())
    )
  );

CREATE POLICY "Owners upload own documents"
  ON storage.objects FOR INSERT
  TO authenticated
  WITH CHECK (
    bucket_id = 'documents'
    AND (storage.foldername(name))[1] IN (
      SELECT w.id::text FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())
    )
  );

CREATE POLICY "Owners update own documents"
  ON storage.objects FOR UPDATE
  TO authenticated
  USING (
    bucket_id = 'documents'
    AND (storage.foldername(name))[1] IN (
      SELECT w.id::text FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())
    )
  )
  WITH CHECK (
    bucket_id = 'documents'
    AND (storage.foldername(name))[1] IN (
      SELECT w.id::text FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())
    )
  );

CREATE POLICY "Owners delete own documents"
  ON storage.objects FOR DELETE
  TO authenticated
  USING (
    bucket_id = 'documents'
    AND (storage.foldername(name))[1] IN (
      SELECT w.id::text FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())
    )
  );

ALTER TABLE public.storage_object_contents DROP CONSTRAINT storage_object_contents_content_check;
ALTER TABLE public.storage_object_contents
  ADD CONSTRAINT storage_object_contents_content_check CHECK (octet_length(content) <= 67108864);
-- out of line and uncompressed (PDF and DOCX are compressed already): reading a large file in
-- slices (substring) then touches only the slice's TOAST chunks instead of decompressing it all
ALTER TABLE public.storage_object_contents ALTER COLUMN content SET STORAGE EXTERNAL;

ALTER TABLE public.documents
  ADD COLUMN version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  ADD COLUMN serving_version integer,
  ADD COLUMN failure_reason  text CHECK (char_length(failure_reason) <= 500),
  ADD COLUMN file_name       text CHECK (char_length(file_name) <= 255),
  ADD COLUMN sha256          text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  ADD CONSTRAINT documents_serving_version_check CHECK (serving_version BETWEEN 1 AND version),
  ADD CONSTRAINT documents_failed_has_reason_check CHECK ((status = 'failed') = (failure_reason IS NOT NULL));
COMMENT ON COLUMN public.documents.version IS 'The newest uploaded version (1, 2, ...); its chunks are being made while status is pending or processing.';
COMMENT ON COLUMN public.documents.serving_version IS 'The version whose chunks answer questions; null until a version is ready.';

CREATE INDEX idx_documents_workspace_created ON public.documents (workspace_id, created_at DESC, id);

ALTER TABLE public.document_chunks
  ADD COLUMN document_version integer NOT NULL DEFAULT 1 CHECK (document_version >= 1),
  ADD COLUMN search_text tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
  DROP CONSTRAINT document_chunks_document_chunk_unique,
  ADD CONSTRAINT document_chunks_document_version_chunk_unique UNIQUE (document_id, document_version, chunk_index);
CREATE INDEX idx_document_chunks_search_text ON public.document_chunks USING gin (search_text);

CREATE TABLE public.document_chunk_staged_embeddings (
  chunk_id        uuid NOT NULL REFERENCES public.document_chunks (id) ON DELETE CASCADE,
  workspace_id    uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  embedding_model text NOT NULL REFERENCES public.embedding_models (id),
  embedding       extensions.vector NOT NULL,
  embedded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chunk_id, embedding_model)
);
CREATE INDEX idx_document_chunk_staged_embeddings_workspace ON public.document_chunk_staged_embeddings (workspace_id);
ALTER TABLE public.document_chunk_staged_embeddings ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.document_chunk_staged_embeddings FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE public.document_chunk_staged_embeddings TO service_role;
