-- V34: calibration by knowledge-base size, measured on CLINC150 (evaluation/ANSWER_MODEL.md,
-- "Calibrated confidence and the gap decision"; docs/quality.md).
--
--   * answer_calibrations: per embedding model and path (the nearest pair's cosine, or the answer
--     model's probability), Platt scaling (a, b) and the confidence threshold chosen with it, at
--     several phrasings per answer group; services interpolate between rows in ln(phrasings per
--     group) (dev.clara.shared.answers.CalibrationTable). Thresholds: the best tune-half accuracy
--     among those that flag at least 60 % of the tune out-of-scope questions. Only the default model
--     (bge-small-en-v1.5-q) is shipped calibrated; a model without rows keeps its raw cosine as
--     confidence and embedding_models.confidence_threshold, and answers without the answer model.
--   * answer_calibrations_of(model): the rows as the services read them (jsonb, null when none).
--   * workspace_threshold_override(settings): the owner's own threshold, or null; the one rule
--     workspace_confidence_threshold now uses too.
--   * One (a, b) per model would not do: a 5-per-group workspace read with the full knowledge
--     base's parameters is far under-confident (evaluation/ANSWER_MODEL.md, section 4).

CREATE TABLE public.answer_calibrations (
  embedding_model     text NOT NULL REFERENCES public.embedding_models (id) ON DELETE CASCADE,
  path                text NOT NULL CHECK (path IN ('similarity', 'answer_model')),
  phrasings_per_group double precision NOT NULL CHECK (phrasings_per_group >= 1),
  a                   double precision NOT NULL CHECK (a > 0),
  b                   double precision NOT NULL,
  threshold           double precision NOT NULL CHECK (threshold BETWEEN 0 AND 1),
  PRIMARY KEY (embedding_model, path, phrasings_per_group)
);
COMMENT ON TABLE public.answer_calibrations IS
  'Platt scaling (confidence = 1/(1+exp(-(a*score+b))); score = cosine, or logit of the model''s probability) and threshold, by phrasings per answer group.';

ALTER TABLE public.answer_calibrations ENABLE ROW LEVEL SECURITY;
CREATE POLICY answer_calibrations_read ON public.answer_calibrations FOR SELECT TO authenticated USING (true);
REVOKE ALL ON TABLE public.answer_calibrations FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.answer_calibrations TO authenticated;
GRANT ALL ON TABLE public.answer_calibrations TO service_role;

INSERT INTO public.answer_calibrations (embedding_model, path, phrasings_per_group, a, b, threshold) VALUES
  ('bge-small-en-v1.5-q', 'answer_model',   1, 1.151,   2.118, 0.336),
  ('bge-small-en-v1.5-q', 'answer_model',   2, 1.421,   2.158, 0.334),
  ('bge-small-en-v1.5-q', 'answer_model',   3, 1.628,   2.202, 0.316),
  ('bge-small-en-v1.5-q', 'answer_model',   5, 1.553,   1.841, 0.307),
  ('bge-small-en-v1.5-q', 'answer_model',  10, 1.709,   1.547, 0.290),
  ('bge-small-en-v1.5-q', 'answer_model',  20, 1.819,   1.190, 0.242),
  ('bge-small-en-v1.5-q', 'answer_model',  50, 1.847,   1.133, 0.273),
  ('bge-small-en-v1.5-q', 'answer_model', 100, 1.918,   1.093, 0.236),
  ('bge-small-en-v1.5-q', 'similarity',     1, 14.502, -10.559, 0.196),
  ('bge-small-en-v1.5-q', 'similarity',     2, 16.277, -11.852, 0.220),
  ('bge-small-en-v1.5-q', 'similarity',     3, 18.183, -13.329, 0.183),
  ('bge-small-en-v1.5-q', 'similarity',     5, 18.708, -13.669, 0.201),
  ('bge-small-en-v1.5-q', 'similarity',    10, 20.136, -14.897, 0.201),
  ('bge-small-en-v1.5-q', 'similarity',    20, 21.186, -15.863, 0.214),
  ('bge-small-en-v1.5-q', 'similarity',    50, 19.883, -15.070, 0.267),
  ('bge-small-en-v1.5-q', 'similarity',   100, 22.796, -17.635, 0.180);

CREATE FUNCTION public.answer_calibrations_of(model text) RETURNS jsonb
  LANGUAGE sql
  STABLE PARALLEL SAFE
  RETURN (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('path', c.path,
                   'phrasings_per_group', c.phrasings_per_group, 'a', c.a, 'b', c.b, 'threshold', c.threshold)
                   ORDER BY c.path, c.phrasings_per_group)
            FROM public.answer_calibrations c WHERE c.embedding_model = model);
REVOKE ALL ON FUNCTION public.answer_calibrations_of(text) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.answer_calibrations_of(text) TO authenticated, service_role;

CREATE FUNCTION public.workspace_threshold_override(settings jsonb) RETURNS double precision
  LANGUAGE sql
  IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN pg_catalog.jsonb_typeof(settings OPERATOR(pg_catalog.->) 'confidence_threshold') = 'number'
              THEN CAST(settings OPERATOR(pg_catalog.->>) 'confidence_threshold' AS double precision) END;
COMMENT ON FUNCTION public.workspace_threshold_override(jsonb) IS
  'The owner''s own confidence threshold (settings.confidence_threshold when it is a number), or null.';
REVOKE ALL ON FUNCTION public.workspace_threshold_override(jsonb) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION public.workspace_threshold_override(jsonb) TO authenticated, service_role;

CREATE OR REPLACE FUNCTION public.workspace_confidence_threshold(settings jsonb, model text) RETURNS double precision
  LANGUAGE sql
  STABLE PARALLEL SAFE
  RETURN coalesce(public.workspace_threshold_override(settings),
                  (SELECT m.confidence_threshold FROM public.embedding_models m WHERE m.id = model));
