-- U4: undo V4.
DROP FUNCTION public.search_qa_pairs(uuid, extensions.vector, double precision, integer, text);
DROP TABLE public.qa_pairs;
DROP FUNCTION public.set_qa_pairs_updated_at();
DROP FUNCTION public.check_embedding_dimensions();
