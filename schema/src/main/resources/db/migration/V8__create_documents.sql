-- V8: documents, their chunks (with model-aware embeddings like qa_pairs) and links between
-- documents and conversations (001). Tenant = workspace (001's owner_id becomes workspace_id +
-- created_by). Chunks and links carry workspace_id, kept equal to their parents' by composite
-- foreign keys, so row-level security needs no joins and no row can point across tenants.

CREATE TABLE public.documents (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  created_by  uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  title       text NOT NULL,
  description text,
  content     text,
  file_path   text,
  file_type   text,
  file_size   bigint CHECK (file_size >= 0),
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'ready', 'failed')),
  metadata    jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_archived boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT documents_id_workspace_id_key UNIQUE (id, workspace_id)
);
COMMENT ON COLUMN public.documents.file_path IS 'Storage object path, e.g. {workspace_id}/documents/{file} (bucket chosen by the application).';

CREATE INDEX idx_documents_workspace ON public.documents (workspace_id);

CREATE TRIGGER set_updated_at_documents
  BEFORE UPDATE ON public.documents
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE TABLE public.document_chunks (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  document_id     uuid NOT NULL,
  workspace_id    uuid NOT NULL,
  chunk_index     integer NOT NULL CHECK (chunk_index >= 0),
  content         text NOT NULL,
  embedding       extensions.vector,
  embedding_model text REFERENCES public.embedding_models (id),
  embedded_at     timestamptz,
  metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT document_chunks_document_chunk_unique UNIQUE (document_id, chunk_index),
  CONSTRAINT document_chunks_document_fkey FOREIGN KEY (document_id, workspace_id)
    REFERENCES public.documents (id, workspace_id) ON DELETE CASCADE,
  CONSTRAINT document_chunks_embedding_all_or_none_check CHECK (
    (embedding IS NULL) = (embedding_model IS NULL) AND (embedding IS NULL) = (embedded_at IS NULL))
);

CREATE INDEX idx_document_chunks_workspace ON public.document_chunks (workspace_id);
CREATE INDEX idx_document_chunks_embedding_all_minilm_l6_v2_q ON public.document_chunks
  USING hnsw ((embedding::extensions.vector(384)) extensions.vector_cosine_ops)
  WHERE embedding_model = 'all-minilm-l6-v2-q';
CREATE INDEX idx_document_chunks_embedding_bge_small_en_v1_5_q ON public.document_chunks
  USING hnsw ((embedding::extensions.vector(384)) extensions.vector_cosine_ops)
  WHERE embedding_model = 'bge-small-en-v1.5-q';
CREATE INDEX idx_document_chunks_embedding_text_embedding_3_small ON public.document_chunks
  USING hnsw ((embedding::extensions.vector(1536)) extensions.vector_cosine_ops)
  WHERE embedding_model = 'text-embedding-3-small';

CREATE TRIGGER check_embedding_dimensions_document_chunks
  BEFORE INSERT OR UPDATE OF embedding, embedding_model ON public.document_chunks
  FOR EACH ROW EXECUTE FUNCTION public.check_embedding_dimensions();

CREATE TABLE public.document_conversation_links (
  document_id     uuid NOT NULL,
  conversation_id uuid NOT NULL,
  workspace_id    uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document_id, conversation_id),
  CONSTRAINT document_conversation_links_document_fkey FOREIGN KEY (document_id, workspace_id)
    REFERENCES public.documents (id, workspace_id) ON DELETE CASCADE,
  CONSTRAINT document_conversation_links_conversation_fkey FOREIGN KEY (conversation_id, workspace_id)
    REFERENCES public.conversations (id, workspace_id) ON DELETE CASCADE
);
CREATE INDEX idx_document_conversation_links_conversation ON public.document_conversation_links (conversation_id);
CREATE INDEX idx_document_conversation_links_workspace ON public.document_conversation_links (workspace_id);

ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.document_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.document_conversation_links ENABLE ROW LEVEL SECURITY;

CREATE POLICY documents_owner ON public.documents
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));
CREATE POLICY document_chunks_owner ON public.document_chunks
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));
CREATE POLICY document_conversation_links_owner ON public.document_conversation_links
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.documents, public.document_chunks, public.document_conversation_links
  FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.documents, public.document_chunks TO authenticated;
GRANT SELECT, INSERT, DELETE ON TABLE public.document_conversation_links TO authenticated;
GRANT ALL ON TABLE public.documents, public.document_chunks, public.document_conversation_links TO service_role;
