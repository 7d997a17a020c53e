-- U34: undo V34 (no calibrations; V28's threshold function).
CREATE OR REPLACE FUNCTION public.workspace_confidence_threshold(settings jsonb, model text) RETURNS double precision
  LANGUAGE sql
  STABLE PARALLEL SAFE
  RETURN CASE WHEN pg_catalog.jsonb_typeof(settings OPERATOR(pg_catalog.->) 'confidence_threshold') = 'number'
              THEN CAST(settings OPERATOR(pg_catalog.->>) 'confidence_threshold' AS double precision)
              ELSE (SELECT m.confidence_threshold FROM public.embedding_models m WHERE m.id = model) END;
DROP FUNCTION public.workspace_threshold_override(jsonb);
DROP FUNCTION public.answer_calibrations_of(text);
DROP TABLE public.answer_calibrations;
