-- V24: switching the deployment's embedding model without a gap in search.
--
--   * workspaces.search_model: the model whose vectors the workspace's search uses (and whose
--     thresholds apply). The embedding worker sets it with the workspace's first vector. When the
--     deployment moves to another model, it stays on the old one while the worker stages the new
--     model's vectors, and moves in one transaction once every active pair has one.
--   * qa_pair_staged_embeddings: the new model's vectors of a workspace that is switching. A row
--     counts only while it was made of the pair's current question (the worker checks the text),
--     and is copied into qa_pairs at the cut-over, then deleted. Service role only.

ALTER TABLE public.workspaces ADD COLUMN search_model text REFERENCES public.embedding_models (id);
COMMENT ON COLUMN public.workspaces.search_model IS
  'The embedding model the workspace''s search uses; null until its first vector. Set by the embedding worker.';

-- workspaces embedded before this column existed search with the model most of their vectors have
UPDATE public.workspaces w
   SET search_model = (SELECT qp.embedding_model FROM public.qa_pairs qp
                        WHERE qp.workspace_id = w.id AND qp.embedding_model IS NOT NULL
                        GROUP BY qp.embedding_model ORDER BY count(*) DESC, qp.embedding_model LIMIT 1);

CREATE TABLE public.qa_pair_staged_embeddings (
  qa_pair_id      uuid NOT NULL,
  workspace_id    uuid NOT NULL,
  embedding_model text NOT NULL REFERENCES public.embedding_models (id),
  embedding       extensions.vector NOT NULL,
  question        text NOT NULL,
  embedded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (qa_pair_id, embedding_model),
  CONSTRAINT qa_pair_staged_embeddings_pair_fkey FOREIGN KEY (qa_pair_id, workspace_id)
    REFERENCES public.qa_pairs (id, workspace_id) ON DELETE CASCADE
);
COMMENT ON TABLE public.qa_pair_staged_embeddings IS
  'Vectors of the deployment''s new embedding model for workspaces still searching with the old one.';

CREATE INDEX idx_qa_pair_staged_embeddings_workspace ON public.qa_pair_staged_embeddings (workspace_id, embedding_model);

CREATE TRIGGER check_qa_pair_staged_embeddings_dimensions
  BEFORE INSERT OR UPDATE ON public.qa_pair_staged_embeddings
  FOR EACH ROW EXECUTE FUNCTION public.check_embedding_dimensions();

ALTER TABLE public.qa_pair_staged_embeddings ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.qa_pair_staged_embeddings FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE public.qa_pair_staged_embeddings TO service_role;
