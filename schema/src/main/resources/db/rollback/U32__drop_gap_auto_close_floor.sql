-- U32: undo V32 (gap_auto_close_floor back with V30's values).
ALTER TABLE public.embedding_models
  ADD COLUMN gap_auto_close_floor double precision CHECK (gap_auto_close_floor BETWEEN 0 AND 1);
COMMENT ON COLUMN public.embedding_models.gap_auto_close_floor IS
  'Least similarity at which a new pair closes a gap automatically, whatever the workspace threshold (null: no floor).';
UPDATE public.embedding_models SET gap_auto_close_floor = 0.60 WHERE id = 'all-minilm-l6-v2-q';
UPDATE public.embedding_models SET gap_auto_close_floor = 0.82 WHERE id = 'bge-small-en-v1.5-q';
