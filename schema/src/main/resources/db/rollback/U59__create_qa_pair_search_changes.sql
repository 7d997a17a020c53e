-- U59: undo V59 (chat-api searches the database on every turn again).
DROP TRIGGER note_search_change_on_truncate ON public.qa_pairs;
DROP TRIGGER note_search_change_on_delete ON public.qa_pairs;
DROP TRIGGER note_search_change_on_update ON public.qa_pairs;
DROP TRIGGER note_search_change_on_insert ON public.qa_pairs;
DROP FUNCTION public.note_qa_pair_search_change();
DROP TABLE public.qa_pair_search_changes;
