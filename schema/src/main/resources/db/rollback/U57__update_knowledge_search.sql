-- U57: undo V57 (V52's search_document_chunks, pgvector's default storage, no searchable index).

SELECT extensions.vector_dims(CAST('[1]' AS extensions.vector));

DROP INDEX public.idx_qa_pairs_searchable;
ALTER TABLE public.qa_pairs ALTER COLUMN embedding SET STORAGE EXTERNAL;
ALTER TABLE public.document_chunks ALTER COLUMN embedding SET STORAGE EXTERNAL;

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
