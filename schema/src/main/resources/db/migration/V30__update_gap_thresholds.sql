-- V30: the gap detector's per-model thresholds live here, beside the confidence threshold, as
-- the one place they are stated (the service keeps only an operator's override):
--   * gap_grouping_threshold: the similarity at which a new gap joins an open gap's group,
--     measured on CLINC150 for the two local models (docs/quality.md, "Gap grouping");
--   * gap_auto_close_floor (new): the least similarity at which a new pair closes a gap on its
--     own, whatever a workspace answers at; null = no floor (the workspace's threshold plus the
--     gap detector's margin alone), as for models where none was measured.

ALTER TABLE public.embedding_models
  ADD COLUMN gap_auto_close_floor double precision CHECK (gap_auto_close_floor BETWEEN 0 AND 1);
COMMENT ON COLUMN public.embedding_models.gap_auto_close_floor IS
  'Least similarity at which a new pair closes a gap automatically, whatever the workspace threshold (null: no floor).';

UPDATE public.embedding_models SET gap_grouping_threshold = 0.50, gap_auto_close_floor = 0.60
 WHERE id = 'all-minilm-l6-v2-q';
UPDATE public.embedding_models SET gap_grouping_threshold = 0.65, gap_auto_close_floor = 0.82
 WHERE id = 'bge-small-en-v1.5-q';
