-- V4: the knowledge base (004's qa_pairs) with model-aware embeddings, the per-model HNSW
-- indexes and search_qa_pairs.
--
-- Changes from 004:
--   * embedding is extensions.vector WITHOUT a fixed dimension, plus embedding_model (which model
--     made it) and embedded_at; the three are all null or all set, and the vector's dimension
--     must be the model's (trigger check_embedding_dimensions). Rows of different models coexist,
--     so switching the deployment's model needs no data to be dropped.
--   * one partial HNSW expression index per model instead of 004's IVFFlat index.
--   * updated_at moves only when question, answer, category or is_active change, never when the
--     embedding columns (or metadata/source) are written, so embedding does not feed back into
--     change events. embedded_at < updated_at means the vector may be stale.
--   * REPLICA IDENTITY FULL: change data capture needs the old question text.
--   * UNIQUE (id, workspace_id) so that rows of other tables can reference a pair of the SAME
--     workspace only (composite foreign keys).

-- Shared by qa_pairs, qa_gaps (question_embedding) and document_chunks.
CREATE FUNCTION public.check_embedding_dimensions() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v        extensions.vector;
  expected integer;
BEGIN
  IF TG_TABLE_NAME = 'qa_gaps' THEN
    v := NEW.question_embedding;
  ELSE
    v := NEW.embedding;
  END IF;
  IF v IS NULL OR NEW.embedding_model IS NULL THEN
    RETURN NEW; -- the table's CHECK decides whether a half-set embedding is allowed
  END IF;
  SELECT m.dimensions INTO expected FROM public.embedding_models m WHERE m.id = NEW.embedding_model;
  IF expected IS NOT NULL AND extensions.vector_dims(v) <> expected THEN
    RAISE EXCEPTION 'a % embedding has % dimensions, model % makes %',
        TG_TABLE_NAME, extensions.vector_dims(v), NEW.embedding_model, expected
      USING ERRCODE = 'check_violation', TABLE = TG_TABLE_NAME,
            CONSTRAINT = TG_TABLE_NAME || '_embedding_dimensions_check';
  END IF;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION public.check_embedding_dimensions() FROM PUBLIC, anon, authenticated;

CREATE TABLE public.qa_pairs (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  question        text NOT NULL,
  answer          text NOT NULL,
  category        text NOT NULL DEFAULT 'general',
  embedding       extensions.vector,
  embedding_model text REFERENCES public.embedding_models (id),
  embedded_at     timestamptz,
  source          text NOT NULL DEFAULT 'manual'
                  CHECK (source IN ('manual', 'csv_import', 'transcript_extraction')),
  is_active       boolean NOT NULL DEFAULT true,
  metadata        jsonb DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT qa_pairs_id_workspace_id_key UNIQUE (id, workspace_id),
  CONSTRAINT qa_pairs_embedding_all_or_none_check CHECK (
    (embedding IS NULL) = (embedding_model IS NULL) AND (embedding IS NULL) = (embedded_at IS NULL))
);
ALTER TABLE public.qa_pairs REPLICA IDENTITY FULL;
COMMENT ON COLUMN public.qa_pairs.embedding IS
  'Vector of embedding_model (dimension = embedding_models.dimensions). Written by the embedding worker; does not move updated_at.';

CREATE TRIGGER check_embedding_dimensions_qa_pairs
  BEFORE INSERT OR UPDATE OF embedding, embedding_model ON public.qa_pairs
  FOR EACH ROW EXECUTE FUNCTION public.check_embedding_dimensions();

CREATE FUNCTION public.set_qa_pairs_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF NEW.question IS DISTINCT FROM OLD.question
     OR NEW.answer IS DISTINCT FROM OLD.answer
     OR NEW.category IS DISTINCT FROM OLD.category
     OR NEW.is_active IS DISTINCT FROM OLD.is_active THEN
    NEW.updated_at := now();
  ELSE
    NEW.updated_at := OLD.updated_at;
  END IF;
  RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION public.set_qa_pairs_updated_at() FROM PUBLIC, anon, authenticated;

CREATE TRIGGER set_updated_at_qa_pairs
  BEFORE UPDATE ON public.qa_pairs
  FOR EACH ROW EXECUTE FUNCTION public.set_qa_pairs_updated_at();

CREATE INDEX idx_qa_pairs_workspace ON public.qa_pairs (workspace_id);
CREATE INDEX idx_qa_pairs_workspace_active ON public.qa_pairs (workspace_id, is_active);

-- One partial HNSW index per model: the cast gives the index the fixed dimension HNSW needs,
-- the predicate keeps each index to its model's rows. search_qa_pairs queries with the same
-- expression and predicate so the planner can use them.
CREATE INDEX idx_qa_pairs_embedding_all_minilm_l6_v2_q ON public.qa_pairs
  USING hnsw ((embedding::extensions.vector(384)) extensions.vector_cosine_ops)
  WHERE embedding_model = 'all-minilm-l6-v2-q';
CREATE INDEX idx_qa_pairs_embedding_bge_small_en_v1_5_q ON public.qa_pairs
  USING hnsw ((embedding::extensions.vector(384)) extensions.vector_cosine_ops)
  WHERE embedding_model = 'bge-small-en-v1.5-q';
CREATE INDEX idx_qa_pairs_embedding_text_embedding_3_small ON public.qa_pairs
  USING hnsw ((embedding::extensions.vector(1536)) extensions.vector_cosine_ops)
  WHERE embedding_model = 'text-embedding-3-small';

ALTER TABLE public.qa_pairs ENABLE ROW LEVEL SECURITY;

CREATE POLICY qa_pairs_owner ON public.qa_pairs
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.qa_pairs FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.qa_pairs TO authenticated;
GRANT ALL ON TABLE public.qa_pairs TO service_role;

-- ───────────────────────────── search_qa_pairs ─────────────────────────────
-- 004's search with the model as a parameter. Only p_workspace_id's active rows embedded by
-- p_model; similarity = 1 - cosine distance; rows with similarity > match_threshold, best first,
-- at most match_count.
--
-- SECURITY INVOKER: row-level security applies to the caller (an owner searching another
-- workspace gets nothing; the public chat path runs as service_role).
-- Dynamic SQL puts the model's dimension and name into the query as constants, so the planner
-- can match the partial HNSW index of that model (a generic plan with a parameter could not).
-- A workspace filter on an HNSW scan would lose recall (the index returns ef_search candidates,
-- most of them another tenant's); pgvector 0.8's iterative scan keeps scanning until enough rows
-- pass the filter. relaxed_order may return candidates slightly out of order, so a materialized
-- candidate set is re-sorted (and the threshold applied) outside. For small tenants the planner
-- usually prefers the workspace b-tree and an exact sort.
CREATE FUNCTION public.search_qa_pairs(
  p_workspace_id  uuid,
  query_embedding extensions.vector,
  match_threshold double precision DEFAULT 0.5,
  match_count     integer DEFAULT 5,
  p_model         text DEFAULT 'all-minilm-l6-v2-q'
)
RETURNS TABLE (id uuid, question text, answer text, category text, similarity double precision)
LANGUAGE plpgsql
STABLE
SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
SET hnsw.iterative_scan = 'relaxed_order'
SET hnsw.ef_search = 100
AS $$
DECLARE
  dims integer;
BEGIN
  IF match_count IS NULL OR match_count < 1 OR query_embedding IS NULL OR p_workspace_id IS NULL THEN
    RETURN;
  END IF;
  SELECT m.dimensions INTO dims FROM public.embedding_models m WHERE m.id = p_model;
  IF dims IS NULL THEN
    RAISE EXCEPTION 'unknown embedding model %', p_model
      USING ERRCODE = 'invalid_parameter_value', HINT = 'See public.embedding_models.';
  END IF;
  IF extensions.vector_dims(query_embedding) <> dims THEN
    RAISE EXCEPTION 'query_embedding has % dimensions, model % makes %',
        extensions.vector_dims(query_embedding), p_model, dims
      USING ERRCODE = 'data_exception';
  END IF;

  RETURN QUERY EXECUTE format($q$
    WITH candidates AS MATERIALIZED (
      SELECT qp.id, qp.question, qp.answer, qp.category,
             (qp.embedding::extensions.vector(%1$s)) OPERATOR(extensions.<=>) ($1::extensions.vector(%1$s)) AS distance
        FROM public.qa_pairs qp
       WHERE qp.workspace_id = $2
         AND qp.is_active
         AND qp.embedding_model = %2$L
         AND qp.embedding IS NOT NULL
       ORDER BY distance
       LIMIT %3$s
    )
    SELECT c.id, c.question, c.answer, c.category, (1 - c.distance)::double precision AS similarity
      FROM candidates c
     WHERE 1 - c.distance > $3
     ORDER BY c.distance, c.id
     LIMIT %4$s
    $q$, dims, p_model, greatest(match_count * 2, 20), match_count)
  USING query_embedding, p_workspace_id, match_threshold;
END
$$;
REVOKE ALL ON FUNCTION public.search_qa_pairs(uuid, extensions.vector, double precision, integer, text) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.search_qa_pairs(uuid, extensions.vector, double precision, integer, text) TO authenticated, service_role;
