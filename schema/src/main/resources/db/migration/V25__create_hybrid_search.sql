-- V25: lexical + semantic search (PostgreSQL full-text search fused with the vector search by
-- reciprocal rank fusion), measured on CLINC150 by evaluation/ (see docs/quality.md).
--
--   * idx_qa_pairs_question_fts: a GIN index on the question's English tsvector, so the lexical
--     half finds the pairs sharing a word with the visitor's question without reading the
--     workspace's every row.
--   * search_qa_pairs_hybrid: search_qa_pairs' semantic candidates, plus lexical candidates
--     ranked by BM25-style inverse document frequency (within the workspace) of the question
--     words they share, fused by reciprocal rank. similarity stays the cosine similarity of each
--     pair (so confidence thresholds keep their meaning); score is the fused rank score.

CREATE INDEX idx_qa_pairs_question_fts ON public.qa_pairs
  USING gin (to_tsvector('english'::regconfig, question));

-- SECURITY INVOKER like search_qa_pairs: row-level security applies to the caller.
-- The lexical half: the question's lexemes (English stemming, stop words dropped) OR-ed into one
-- tsquery; a pair's lexical weight is the sum over the lexemes it shares of
-- ln(1 + (N - df + 0.5) / (df + 0.5)), N = the workspace's searchable pairs, df = those with the
-- lexeme; ties go to the shorter question. Fusion: score = 1/(rrf_k + semantic rank) +
-- 1/(rrf_k + lexical rank), each over its candidate_count best. Rows with similarity <=
-- match_threshold are dropped, as in search_qa_pairs.
CREATE FUNCTION public.search_qa_pairs_hybrid(
  p_workspace_id  uuid,
  query_embedding extensions.vector,
  query_text      text,
  match_threshold double precision DEFAULT 0.5,
  match_count     integer DEFAULT 5,
  p_model         text DEFAULT 'all-minilm-l6-v2-q',
  rrf_k           integer DEFAULT 60,
  candidate_count integer DEFAULT 20
)
RETURNS TABLE (id uuid, question text, answer text, category text, similarity double precision,
               semantic_rank integer, lexical_rank integer, score double precision)
LANGUAGE plpgsql
STABLE
SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
SET hnsw.iterative_scan = 'relaxed_order'
SET hnsw.ef_search = 100
AS $$
DECLARE
  dims    integer;
  lexemes text[];
  tsq     tsquery;
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
  lexemes := tsvector_to_array(to_tsvector('english'::regconfig, coalesce(query_text, '')));
  IF cardinality(lexemes) > 0 THEN
    -- the lexemes are already normalised: quote them and parse without another dictionary pass
    tsq := array_to_string(ARRAY(SELECT quote_literal(l) FROM unnest(lexemes) AS l), ' | ')::tsquery;
  END IF;

  RETURN QUERY EXECUTE format($q$
    WITH semantic AS MATERIALIZED (
      SELECT qp.id,
             (qp.embedding::extensions.vector(%1$s)) OPERATOR(extensions.<=>) ($1::extensions.vector(%1$s)) AS distance
        FROM public.qa_pairs qp
       WHERE qp.workspace_id = $2
         AND qp.is_active
         AND qp.embedding_model = %2$L
         AND qp.embedding IS NOT NULL
       ORDER BY distance
       LIMIT %3$s
    ),
    semantic_ranked AS (
      SELECT s.id, row_number() OVER (ORDER BY s.distance, s.id) AS r FROM semantic s
    ),
    searchable AS MATERIALIZED (
      SELECT qp.id, to_tsvector('english'::regconfig, qp.question) AS doc
        FROM public.qa_pairs qp
       WHERE qp.workspace_id = $2
         AND qp.is_active
         AND qp.embedding_model = %2$L
         AND qp.embedding IS NOT NULL
         AND to_tsvector('english'::regconfig, qp.question) @@ $4
    ),
    hits AS (
      SELECT s.id, length(s.doc) AS doc_length, l.lexeme
        FROM searchable s, unnest(tsvector_to_array(s.doc)) AS l(lexeme)
       WHERE l.lexeme = ANY ($5)
    ),
    df AS (
      SELECT h.lexeme, count(*) AS n FROM hits h GROUP BY h.lexeme
    ),
    total AS (
      SELECT count(*) AS n
        FROM public.qa_pairs qp
       WHERE qp.workspace_id = $2
         AND qp.is_active
         AND qp.embedding_model = %2$L
         AND qp.embedding IS NOT NULL
         AND $4 IS NOT NULL
    ),
    lexical_ranked AS (
      SELECT w.id, row_number() OVER (ORDER BY w.weight DESC, w.doc_length, w.id) AS r
        FROM (SELECT h.id, min(h.doc_length) AS doc_length,
                     sum(ln(1 + (t.n - d.n + 0.5) / (d.n + 0.5))) AS weight
                FROM hits h JOIN df d ON d.lexeme = h.lexeme CROSS JOIN total t
               GROUP BY h.id) w
       ORDER BY r
       LIMIT %3$s
    ),
    fused AS (
      SELECT coalesce(s.id, l.id) AS id, s.r AS semantic_rank, l.r AS lexical_rank,
             coalesce(1.0 / ($6 + s.r), 0) + coalesce(1.0 / ($6 + l.r), 0) AS score
        FROM semantic_ranked s FULL JOIN lexical_ranked l ON l.id = s.id
    )
    SELECT qp.id, qp.question, qp.answer, qp.category,
           (1 - ((qp.embedding::extensions.vector(%1$s)) OPERATOR(extensions.<=>) ($1::extensions.vector(%1$s))))::double precision AS similarity,
           f.semantic_rank::integer, f.lexical_rank::integer, f.score::double precision
      FROM fused f
      JOIN public.qa_pairs qp ON qp.id = f.id AND qp.workspace_id = $2
     WHERE 1 - ((qp.embedding::extensions.vector(%1$s)) OPERATOR(extensions.<=>) ($1::extensions.vector(%1$s))) > $3
     ORDER BY f.score DESC, similarity DESC, qp.id
     LIMIT %4$s
    $q$, dims, p_model, greatest(candidate_count, match_count, 1), match_count)
  USING query_embedding, p_workspace_id, match_threshold, tsq, lexemes, greatest(rrf_k, 1);
END
$$;
REVOKE ALL ON FUNCTION public.search_qa_pairs_hybrid(uuid, extensions.vector, text, double precision, integer, text, integer, integer) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.search_qa_pairs_hybrid(uuid, extensions.vector, text, double precision, integer, text, integer, integer) TO authenticated, service_role;
