-- U55: undo V55 (V52's first value for bge-small-en-v1.5-q).
UPDATE public.embedding_models SET passage_threshold = 0.70 WHERE id = 'bge-small-en-v1.5-q';
