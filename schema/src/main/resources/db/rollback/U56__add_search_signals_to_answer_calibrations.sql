-- U56: undo V56 (the model-alone calibration of V34 back, the weights gone).
CREATE OR REPLACE FUNCTION public.answer_calibrations_of(model text) RETURNS jsonb
  LANGUAGE sql
  STABLE PARALLEL SAFE
  RETURN (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('path', c.path,
                   'phrasings_per_group', c.phrasings_per_group, 'a', c.a, 'b', c.b, 'threshold', c.threshold)
                   ORDER BY c.path, c.phrasings_per_group)
            FROM public.answer_calibrations c WHERE c.embedding_model = model);

UPDATE public.answer_calibrations c
   SET a = v.a, b = v.b, threshold = v.threshold
  FROM (VALUES
    (  1, 1.151, 2.118, 0.336),
    (  2, 1.421, 2.158, 0.334),
    (  3, 1.628, 2.202, 0.316),
    (  5, 1.553, 1.841, 0.307),
    ( 10, 1.709, 1.547, 0.290),
    ( 20, 1.819, 1.190, 0.242),
    ( 50, 1.847, 1.133, 0.273),
    (100, 1.918, 1.093, 0.236)
  ) AS v (phrasings_per_group, a, b, threshold)
 WHERE c.embedding_model = 'bge-small-en-v1.5-q' AND c.path = 'answer_model'
   AND c.phrasings_per_group = v.phrasings_per_group;

ALTER TABLE public.answer_calibrations
  DROP CONSTRAINT answer_calibrations_signals_of_the_model,
  DROP COLUMN agreement_weight,
  DROP COLUMN cosine_weight;
