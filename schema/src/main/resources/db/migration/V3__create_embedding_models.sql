-- V3: the embedding models Clara knows, with the similarity thresholds that fit each model's
-- score scale (004's 0.5 / 0.78 / 0.85 / 0.95 were tuned for OpenAI's text-embedding-3-small;
-- local models score on other scales: an unrelated pair scores about 0.0 with MiniLM and about
-- 0.40 with BGE). A workspace whose settings.confidence_threshold is null uses the
-- confidence_threshold of the model that embedded its knowledge base.
--
-- Adding a model later = a migration that inserts its row and creates its partial HNSW index on
-- qa_pairs (see V4); switching the deployment's model needs no data to be dropped.

CREATE TABLE public.embedding_models (
  id                       text PRIMARY KEY,
  provider                 text NOT NULL,
  dimensions               integer NOT NULL CHECK (dimensions BETWEEN 1 AND 2000),
  confidence_threshold     double precision NOT NULL CHECK (confidence_threshold BETWEEN 0 AND 1),
  near_duplicate_threshold double precision NOT NULL CHECK (near_duplicate_threshold BETWEEN 0 AND 1),
  gap_grouping_threshold   double precision NOT NULL CHECK (gap_grouping_threshold BETWEEN 0 AND 1),
  search_floor             double precision NOT NULL CHECK (search_floor BETWEEN 0 AND 1),
  notes                    text,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE public.embedding_models IS
  'Reference data: embedding models and their per-model similarity thresholds (cosine similarity = 1 - cosine distance).';
COMMENT ON COLUMN public.embedding_models.confidence_threshold IS
  'Best similarity below this = a gap (004: 0.78 for OpenAI). Default for workspaces whose settings.confidence_threshold is null.';
COMMENT ON COLUMN public.embedding_models.near_duplicate_threshold IS 'Q&A creation dedup check (004: 0.95).';
COMMENT ON COLUMN public.embedding_models.gap_grouping_threshold IS 'Gaps this similar belong to one group; transcript overlap check (004: 0.85).';
COMMENT ON COLUMN public.embedding_models.search_floor IS 'match_threshold of the chat search (004: 0.5).';

INSERT INTO public.embedding_models
  (id, provider, dimensions, confidence_threshold, near_duplicate_threshold, gap_grouping_threshold, search_floor, notes)
VALUES
  -- PROVISIONAL values for the two local models: the answer-quality issue measures them.
  ('all-minilm-l6-v2-q',     'local',  384,  0.55, 0.92, 0.75, 0.2,
   'LangChain4j AllMiniLmL6V2QuantizedEmbeddingModel (in-process, default). Thresholds provisional.'),
  ('bge-small-en-v1.5-q',    'local',  384,  0.75, 0.95, 0.85, 0.5,
   'LangChain4j BgeSmallEnV15QuantizedEmbeddingModel (in-process). Thresholds provisional.'),
  ('text-embedding-3-small', 'openai', 1536, 0.78, 0.95, 0.85, 0.5,
   'OpenAI text-embedding-3-small; thresholds from 004.');

CREATE TRIGGER set_updated_at_embedding_models
  BEFORE UPDATE ON public.embedding_models
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.embedding_models ENABLE ROW LEVEL SECURITY;

-- Public reference data: readable by everyone (the widget may show the model), writable by
-- nobody but service_role (which bypasses row-level security; no write grant to anyone else).
CREATE POLICY embedding_models_read ON public.embedding_models
  FOR SELECT TO anon, authenticated
  USING (true);

REVOKE ALL ON TABLE public.embedding_models FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.embedding_models TO anon, authenticated;
GRANT ALL ON TABLE public.embedding_models TO service_role;
