-- U25: undo V25.
DROP FUNCTION public.search_qa_pairs_hybrid(uuid, extensions.vector, text, double precision, integer, text, integer, integer);
DROP INDEX public.idx_qa_pairs_question_fts;
