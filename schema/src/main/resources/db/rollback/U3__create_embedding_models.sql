-- U3: undo V3.
DROP TABLE public.embedding_models;
