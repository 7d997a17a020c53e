-- U52: undo V52.
DROP FUNCTION public.search_document_chunks(uuid, extensions.vector, text, double precision, integer, text, integer, integer);
ALTER TABLE public.document_conversation_links DROP COLUMN chunk_ids;
ALTER TABLE public.embedding_models DROP COLUMN passage_threshold;
