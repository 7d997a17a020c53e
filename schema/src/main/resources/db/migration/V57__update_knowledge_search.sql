-- V57: faster hybrid and document passage search (measured by the schema module's
-- KnowledgeSearchBenchmark; docs/performance.md, "Knowledge search"). search_qa_pairs is unchanged.
--
--   * embedding STORAGE MAIN on qa_pairs and document_chunks: pgvector's type defaults to
--     EXTERNAL, so as soon as a row passes about 2 kB (a long answer; every document chunk, whose
--     content and search_text come with it) its vector went to the TOAST table, and each distance
--     computed outside the HNSW index (an exact scan, the candidates' similarity) fetched it from
--     there. MAIN keeps the vector in the row and moves the text out first. Rows written from now
--     on; existing rows move when they are next written (re-embedding, a new document version).
--     document_chunks also keeps rows up to 4 kB untoasted (toast_tuple_target): MAIN alone pushed
--     search_text out instead, which the full-text ranking reads for every matching chunk. (The
--     benchmark's pairs have short answers, so it does not measure the qa_pairs half.)
--   * idx_qa_pairs_searchable: a workspace's searchable pairs (active, embedded) per model, so
--     that the hybrid search counts them (its inverse document frequency) from the index alone,
--     and the planner has a narrow index for the exact path of a small workspace.
--   * search_qa_pairs_hybrid: the lexical half looks each of the question's lexemes up in the
--     full-text index instead of parsing every matching question again, and computes a question's
--     length (the tie-break) only for the rows that can reach its candidates. Same results.
--   * search_document_chunks: the semantic candidates come from the model's partial HNSW index on
--     document_chunks (pgvector's iterative scan, filtered by workspace and serving version as
--     before) instead of computing the distance to every serving chunk of the workspace; the
--     full-text ranking reads the GIN index on search_text with the same filters; only the fused
--     candidates are read in full. Same signature; the same results but for what the approximate
--     index misses (recall@5 1.000 against exact search in the benchmark); similarity is the cosine.

-- Using a vector loads pgvector into this session, so that its settings (hnsw.*) in the
-- function's SET clauses are known ones, which a role that is not a superuser may set.
SELECT extensions.vector_dims(CAST('[1]' AS extensions.vector));

ALTER TABLE public.qa_pairs ALTER COLUMN embedding SET STORAGE MAIN;
ALTER TABLE public.document_chunks ALTER COLUMN embedding SET STORAGE MAIN;
-- a chunk (about 1,000 characters, its search_text and a 384-d vector) fits in 4 kB: kept whole in
-- the row, neither its vector nor its search_text (which the full-text ranking reads for every
-- matching chunk) is fetched from TOAST
ALTER TABLE public.document_chunks SET (toast_tuple_target = 4080);

CREATE INDEX idx_qa_pairs_searchable ON public.qa_pairs (workspace_id, embedding_model)
  WHERE is_active AND embedding IS NOT NULL;

-- search_qa_pairs_hybrid: V29's function but for the lexical half (results unchanged).
CREATE OR REPLACE FUNCTION public.search_qa_pairs_hybrid(
  p_workspace_id  uuid,
  query_embedding extensions.vector,
  query_text      text,
  match_threshold double precision DEFAULT 0.5,
  match_count     integer DEFAULT 5,
  p_model         text DEFAULT 'bge-small-en-v1.5-q',
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
    -- the lexical half looks each lexeme up in the full-text index (no question is parsed again);
    -- only the rows that can reach its candidate_count best (weight at least the Nth best) have
    -- their question's length computed, for the tie-break
    hits AS MATERIALIZED (
      SELECT qp.id, l.lexeme
        FROM unnest($5, $7) AS l(lexeme, q)
        JOIN LATERAL (
          SELECT qp.id FROM public.qa_pairs qp
           WHERE qp.workspace_id = $2
             AND qp.is_active
             AND qp.embedding_model = %2$L
             AND qp.embedding IS NOT NULL
             AND to_tsvector('english'::regconfig, qp.question) @@ l.q
        ) qp ON true
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
    weighted AS MATERIALIZED (
      SELECT h.id, sum(ln(1 + (t.n - d.n + 0.5) / (d.n + 0.5))) AS weight
        FROM hits h JOIN df d ON d.lexeme = h.lexeme CROSS JOIN total t
       GROUP BY h.id
    ),
    lexical_ranked AS (
      SELECT w.id,
             row_number() OVER (ORDER BY w.weight DESC, length(to_tsvector('english'::regconfig, qp.question)), w.id) AS r
        FROM weighted w
        JOIN public.qa_pairs qp ON qp.id = w.id AND qp.workspace_id = $2
       WHERE w.weight >= coalesce((SELECT x.weight FROM weighted x ORDER BY x.weight DESC OFFSET %3$s - 1 LIMIT 1), w.weight)
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
  USING query_embedding, p_workspace_id, match_threshold, tsq, lexemes, greatest(rrf_k, 1),
        ARRAY(SELECT quote_literal(l)::tsquery FROM unnest(lexemes) AS l);
END
$$;

-- The serving version is a semi-join (EXISTS) rather than V52's join into one materialized set of
-- every serving chunk: the semantic candidates stay one ordered HNSW index scan, each candidate
-- checked against its document by primary key, that the LIMIT stops; for a workspace with few
-- chunks the planner still prefers its serving chunks and an exact sort. jit is off: an exact
-- plan over many chunks is costed above jit_above_cost, and compiling it took longer (13 ms)
-- than running it.
CREATE OR REPLACE FUNCTION public.search_document_chunks(
  p_workspace_id  uuid,
  query_embedding extensions.vector,
  query_text      text,
  match_threshold double precision,
  match_count     integer,
  p_model         text,
  rrf_k           integer DEFAULT 60,
  candidate_count integer DEFAULT 40
)
RETURNS TABLE (id uuid, document_id uuid, title text, heading text, content text,
               similarity double precision, score double precision)
LANGUAGE plpgsql
STABLE
SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
SET hnsw.iterative_scan = 'relaxed_order'
SET hnsw.ef_search = 100
SET jit = off
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
  IF dims IS NULL OR extensions.vector_dims(query_embedding) <> dims THEN
    RAISE EXCEPTION 'query_embedding does not fit model %', p_model USING ERRCODE = 'data_exception';
  END IF;
  lexemes := tsvector_to_array(to_tsvector('english'::regconfig, coalesce(query_text, '')));
  IF cardinality(lexemes) > 0 THEN
    tsq := array_to_string(ARRAY(SELECT quote_literal(l) FROM unnest(lexemes) AS l), ' | ')::tsquery;
  END IF;

  RETURN QUERY EXECUTE format($q$
    WITH semantic AS MATERIALIZED (
      SELECT c.id, (c.embedding::extensions.vector(%1$s)) OPERATOR(extensions.<=>) ($1::extensions.vector(%1$s)) AS distance
        FROM public.document_chunks c
       WHERE c.workspace_id = $2 AND c.embedding_model = %2$L AND c.embedding IS NOT NULL
         AND EXISTS (SELECT FROM public.documents d WHERE d.id = c.document_id
                        AND d.workspace_id = c.workspace_id AND d.serving_version = c.document_version)
       ORDER BY distance
       LIMIT %3$s
    ),
    semantic_ranked AS (
      SELECT m.id, row_number() OVER (ORDER BY m.distance, m.id) AS r FROM semantic m
    ),
    lexical AS MATERIALIZED (
      SELECT c.id, ts_rank_cd(c.search_text, $3) AS rank
        FROM public.document_chunks c
       WHERE $3 IS NOT NULL AND c.search_text @@ $3
         AND c.workspace_id = $2 AND c.embedding_model = %2$L AND c.embedding IS NOT NULL
         AND EXISTS (SELECT FROM public.documents d WHERE d.id = c.document_id
                        AND d.workspace_id = c.workspace_id AND d.serving_version = c.document_version)
    ),
    lexical_ranked AS (
      SELECT l.id, row_number() OVER (ORDER BY l.rank DESC, l.id) AS r
        FROM lexical l
       ORDER BY l.rank DESC
       LIMIT %3$s
    ),
    fused AS (
      SELECT coalesce(sr.id, lr.id) AS id,
             coalesce(1.0 / ($4 + sr.r), 0) + coalesce(1.0 / ($4 + lr.r), 0) AS score
        FROM semantic_ranked sr FULL JOIN lexical_ranked lr ON lr.id = sr.id
    )
    SELECT c.id, c.document_id, d.title, c.metadata->>'heading' AS heading, c.content,
           1 - ((c.embedding::extensions.vector(%1$s)) OPERATOR(extensions.<=>) ($1::extensions.vector(%1$s))) AS similarity,
           f.score::double precision
      FROM fused f
      JOIN public.document_chunks c ON c.id = f.id AND c.workspace_id = $2
      JOIN public.documents d ON d.id = c.document_id AND d.workspace_id = c.workspace_id
     WHERE 1 - ((c.embedding::extensions.vector(%1$s)) OPERATOR(extensions.<=>) ($1::extensions.vector(%1$s))) >= $5
     ORDER BY f.score DESC, c.id
     LIMIT $6
  $q$, dims, p_model, greatest(candidate_count, match_count))
  USING query_embedding, p_workspace_id, tsq, rrf_k, match_threshold, match_count;
END
$$;
