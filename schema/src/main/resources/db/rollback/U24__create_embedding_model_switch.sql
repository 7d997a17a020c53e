DROP TABLE IF EXISTS public.qa_pair_staged_embeddings;
ALTER TABLE public.workspaces DROP COLUMN IF EXISTS search_model;
