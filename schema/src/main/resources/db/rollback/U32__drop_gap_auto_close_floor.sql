-- U32: undo V32 (gap_auto_close_floor back with V30's values). V31's calibration columns come after
-- it, so they are taken off and put back (values kept) to restore the column order exactly.
CREATE TEMPORARY TABLE u32_calibrations ON COMMIT DROP AS
  SELECT id, similarity_calibration, answer_model_calibration FROM public.embedding_models;
ALTER TABLE public.embedding_models DROP COLUMN similarity_calibration, DROP COLUMN answer_model_calibration;

ALTER TABLE public.embedding_models
  ADD COLUMN gap_auto_close_floor double precision CHECK (gap_auto_close_floor BETWEEN 0 AND 1);
COMMENT ON COLUMN public.embedding_models.gap_auto_close_floor IS
  'Least similarity at which a new pair closes a gap automatically, whatever the workspace threshold (null: no floor).';
UPDATE public.embedding_models SET gap_auto_close_floor = 0.60 WHERE id = 'all-minilm-l6-v2-q';
UPDATE public.embedding_models SET gap_auto_close_floor = 0.82 WHERE id = 'bge-small-en-v1.5-q';

ALTER TABLE public.embedding_models
  ADD COLUMN similarity_calibration double precision[]
    CHECK (similarity_calibration IS NULL OR cardinality(similarity_calibration) = 2),
  ADD COLUMN answer_model_calibration double precision[]
    CHECK (answer_model_calibration IS NULL OR cardinality(answer_model_calibration) = 2);
COMMENT ON COLUMN public.embedding_models.similarity_calibration IS
  'Platt scaling {a, b}: confidence = 1 / (1 + exp(-(a * cosine + b))) for the nearest pair; null = the cosine itself.';
COMMENT ON COLUMN public.embedding_models.answer_model_calibration IS
  'Platt scaling {a, b}: confidence = 1 / (1 + exp(-(a * logit(p) + b))) for the answer model''s best group; null = the model is not used.';
UPDATE public.embedding_models m
   SET similarity_calibration = c.similarity_calibration, answer_model_calibration = c.answer_model_calibration
  FROM u32_calibrations c
 WHERE c.id = m.id AND (c.similarity_calibration IS NOT NULL OR c.answer_model_calibration IS NOT NULL);
