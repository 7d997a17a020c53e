-- U57: undo V57 (V29's search_qa_pairs_hybrid, V52's search_document_chunks,
-- pgvector's default storage, no searchable index).

SELECT extensions.vector_dims(CAST('[1]' AS extensions.vector));

DROP INDEX public.idx_qa_pairs_searchable;
ALTER TABLE public.qa_pairs ALTER COLUMN embedding SET STORAGE EXTERNAL;
ALTER TABLE public.document_chunks ALTER COLUMN embedding SET STORAGE EXTERNAL;
ALTER TABLE public.document_chunks RESET (toast_tuple_target);

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
    WITH serving AS MATERIALIZED (
      SELECT c.id, c.document_id, c.content, c.search_text, c.embedding, d.title, c.metadata->>'heading' AS heading
        FROM public.document_chunks c
        JOIN public.documents d ON d.id = c.document_id AND d.workspace_id = c.workspace_id
                               AND c.document_version = d.serving_version
       WHERE c.workspace_id = $2 AND c.embedding_model = %2$L AND c.embedding IS NOT NULL
    ),
    semantic AS MATERIALIZED (
      SELECT s.id, 1 - ((s.embedding::extensions.vector(%1$s)) OPERATOR(extensions.<=>) ($1::extensions.vector(%1$s))) AS similarity
        FROM serving s
       ORDER BY similarity DESC
       LIMIT %3$s
    ),
    semantic_ranked AS (
      SELECT m.id, m.similarity, row_number() OVER (ORDER BY m.similarity DESC, m.id) AS r FROM semantic m
    ),
    lexical_ranked AS (
      SELECT s.id, row_number() OVER (ORDER BY ts_rank_cd(s.search_text, $3) DESC, s.id) AS r
        FROM serving s
       WHERE $3 IS NOT NULL AND s.search_text @@ $3
       ORDER BY ts_rank_cd(s.search_text, $3) DESC
       LIMIT %3$s
    ),
    fused AS (
      SELECT coalesce(sr.id, lr.id) AS id,
             coalesce(1.0 / ($4 + sr.r), 0) + coalesce(1.0 / ($4 + lr.r), 0) AS score
        FROM semantic_ranked sr FULL JOIN lexical_ranked lr ON lr.id = sr.id
    )
    SELECT s.id, s.document_id, s.title, s.heading, s.content,
           1 - ((s.embedding::extensions.vector(%1$s)) OPERATOR(extensions.<=>) ($1::extensions.vector(%1$s))) AS similarity,
           f.score::double precision
      FROM fused f JOIN serving s ON s.id = f.id
     WHERE 1 - ((s.embedding::extensions.vector(%1$s)) OPERATOR(extensions.<=>) ($1::extensions.vector(%1$s))) >= $5
     ORDER BY f.score DESC, s.id
     LIMIT $6
  $q$, dims, p_model, greatest(candidate_count, match_count))
  USING query_embedding, p_workspace_id, tsq, rrf_k, match_threshold, match_count;
END
$$;

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
