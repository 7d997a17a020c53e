-- U6: undo V6.
DROP TABLE public.qa_gaps;
DROP FUNCTION public.set_qa_gaps_resolved_at();
DROP FUNCTION public.normalize_question(text);
