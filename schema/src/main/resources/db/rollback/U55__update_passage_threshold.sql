-- U55: undo V55 (V52's first values).
UPDATE public.embedding_models SET passage_threshold = CASE id
  WHEN 'bge-small-en-v1.5-q' THEN 0.70
  WHEN 'all-minilm-l6-v2-q' THEN 0.45
  ELSE passage_threshold END
 WHERE id IN ('bge-small-en-v1.5-q', 'all-minilm-l6-v2-q');
