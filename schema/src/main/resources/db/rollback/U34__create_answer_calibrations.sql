-- U34: undo V34 (V31's calibration columns, empty; V28's threshold function).
CREATE OR REPLACE FUNCTION public.workspace_confidence_threshold(settings jsonb, model text) RETURNS double precision
  LANGUAGE sql
  STABLE PARALLEL SAFE
  RETURN CASE WHEN pg_catalog.jsonb_typeof(settings OPERATOR(pg_catalog.->) 'confidence_threshold') = 'number'
              THEN CAST(settings OPERATOR(pg_catalog.->>) 'confidence_threshold' AS double precision)
              ELSE (SELECT m.confidence_threshold FROM public.embedding_models m WHERE m.id = model) END;
DROP FUNCTION public.workspace_threshold_override(jsonb);
DROP FUNCTION public.answer_calibrations_of(text);
DROP TABLE public.answer_calibrations;
ALTER TABLE public.embedding_models
  ADD COLUMN similarity_calibration double precision[]
    CHECK (similarity_calibration IS NULL OR cardinality(similarity_calibration) = 2),
  ADD COLUMN answer_model_calibration double precision[]
    CHECK (answer_model_calibration IS NULL OR cardinality(answer_model_calibration) = 2);
COMMENT ON COLUMN public.embedding_models.similarity_calibration IS
  'Platt scaling {a, b}: confidence = 1 / (1 + exp(-(a * cosine + b))) for the nearest pair; null = the cosine itself.';
COMMENT ON COLUMN public.embedding_models.answer_model_calibration IS
  'Platt scaling {a, b}: confidence = 1 / (1 + exp(-(a * logit(p) + b))) for the answer model''s best group; null = the model is not used.';
