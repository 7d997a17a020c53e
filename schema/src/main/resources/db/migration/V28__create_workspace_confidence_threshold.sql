-- V28: the confidence threshold a workspace's answers are judged by, stated once for every
-- service: the workspace's own settings.confidence_threshold when it is a number, else the
-- confidence_threshold of the embedding model its questions are compared with. A best match below
-- it makes the question a gap. Runs with the caller's rights: embedding_models is readable by
-- every role, and the settings are passed in.

CREATE FUNCTION public.workspace_confidence_threshold(settings jsonb, model text) RETURNS double precision
  LANGUAGE sql
  STABLE PARALLEL SAFE
  RETURN CASE WHEN pg_catalog.jsonb_typeof(settings OPERATOR(pg_catalog.->) 'confidence_threshold') = 'number'
              THEN CAST(settings OPERATOR(pg_catalog.->>) 'confidence_threshold' AS double precision)
              ELSE (SELECT m.confidence_threshold FROM public.embedding_models m WHERE m.id = model) END;
COMMENT ON FUNCTION public.workspace_confidence_threshold(jsonb, text) IS
  'settings.confidence_threshold when it is a number, else embedding_models.confidence_threshold of model (null for an unknown model).';

REVOKE ALL ON FUNCTION public.workspace_confidence_threshold(jsonb, text) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.workspace_confidence_threshold(jsonb, text) TO authenticated, service_role;
