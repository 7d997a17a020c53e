-- U54: undo V54.
DROP TABLE public.transcript_suggestions;
DROP TABLE public.transcripts;
ALTER TABLE public.embedding_models DROP COLUMN transcript_overlap_threshold;
