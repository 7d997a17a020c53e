-- U30: undo V30 (V3's provisional grouping thresholds, no auto-close floor column).
UPDATE public.embedding_models SET gap_grouping_threshold = 0.75 WHERE id = 'all-minilm-l6-v2-q';
UPDATE public.embedding_models SET gap_grouping_threshold = 0.85 WHERE id = 'bge-small-en-v1.5-q';
ALTER TABLE public.embedding_models DROP COLUMN gap_auto_close_floor;
