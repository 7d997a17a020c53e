-- V56: the answer model's confidence weighs what the search saw.
--
--   * answer_calibrations.cosine_weight, agreement_weight: for the answer-model path, the
--     confidence becomes 1/(1+exp(-(a*logit(p) + b + cosine_weight*c + agreement_weight*g))) with
--     c the nearest pair's cosine (0 when none is above the search floor) and g = 1 when the
--     nearest pair is of the model's best group. A logistic regression on these three signals,
--     fitted on the same tuning set as the model-alone Platt scaling (tune half + 100 oos_train
--     of CLINC150's validation data), at each knowledge-base size; thresholds by the same
--     criterion (the best tune accuracy among those flagging at least 60 % of the tune
--     out-of-scope questions). On the tuning set it is more accurate at the same recall at every
--     size (1 to 100 phrasings per group: +0.5 to +1.8 points); evaluation/ANSWER_MODEL.md
--     "Model and search together" has the figures, `./clara eval answer-model signals` the command.
--   * Rows of the similarity path keep 0 and 0 (their score is the cosine already); a model's
--     rows without weights (0, 0) are the model alone, as before.
--   * answer_calibrations_of returns the two weights.

ALTER TABLE public.answer_calibrations
  ADD COLUMN cosine_weight    double precision NOT NULL DEFAULT 0,
  ADD COLUMN agreement_weight double precision NOT NULL DEFAULT 0,
  ADD CONSTRAINT answer_calibrations_signals_of_the_model
    CHECK (path = 'answer_model' OR (cosine_weight = 0 AND agreement_weight = 0));
COMMENT ON COLUMN public.answer_calibrations.cosine_weight IS
  'Answer-model path: weight of the nearest pair''s cosine in the confidence''s log-odds.';
COMMENT ON COLUMN public.answer_calibrations.agreement_weight IS
  'Answer-model path: weight of "the nearest pair is of the model''s best group" in the confidence''s log-odds.';

UPDATE public.answer_calibrations c
   SET a = v.a, b = v.b, threshold = v.threshold, cosine_weight = v.cosine_weight, agreement_weight = v.agreement_weight
  FROM (VALUES
    (  1, 0.835,  -2.087, 0.286,  4.245, 0.608),
    (  2, 1.129,  -2.105, 0.262,  4.969, 0.235),
    (  3, 1.344,  -1.905, 0.240,  4.879, 0.211),
    (  5, 1.197,  -3.991, 0.234,  6.979, 0.359),
    ( 10, 1.268,  -5.769, 0.167,  8.633, 0.659),
    ( 20, 1.336,  -8.055, 0.119, 11.074, 0.581),
    ( 50, 1.285, -11.135, 0.151, 14.679, 0.617),
    (100, 1.281, -12.348, 0.108, 15.703, 1.019)
  ) AS v (phrasings_per_group, a, b, threshold, cosine_weight, agreement_weight)
 WHERE c.embedding_model = 'bge-small-en-v1.5-q' AND c.path = 'answer_model'
   AND c.phrasings_per_group = v.phrasings_per_group;

CREATE OR REPLACE FUNCTION public.answer_calibrations_of(model text) RETURNS jsonb
  LANGUAGE sql
  STABLE PARALLEL SAFE
  RETURN (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('path', c.path,
                   'phrasings_per_group', c.phrasings_per_group, 'a', c.a, 'b', c.b, 'threshold', c.threshold,
                   'cosine_weight', c.cosine_weight, 'agreement_weight', c.agreement_weight)
                   ORDER BY c.path, c.phrasings_per_group)
            FROM public.answer_calibrations c WHERE c.embedding_model = model);
