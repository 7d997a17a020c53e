-- V32: the gap detector closes a gap when the chat turn's decision (AnswerDecision: the workspace's
-- confidence threshold, the embedding model's calibrations, the workspace's answer model) would now
-- answer its question with the new pair's answer group; it has no similarity threshold of its own,
-- so V30's per-model floor for automatic closing goes (gap-detector/README.md, "Closing the loop").

ALTER TABLE public.embedding_models DROP COLUMN gap_auto_close_floor;
