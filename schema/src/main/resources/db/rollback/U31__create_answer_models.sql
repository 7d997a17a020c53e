-- U31: undo V31 (no answer models or test questions).
DROP TABLE public.answer_test_results;
DROP TABLE public.answer_test_questions;
DROP TRIGGER request_answer_model_qa_gaps ON public.qa_gaps;
DROP INDEX public.idx_qa_gaps_teach;
ALTER TABLE public.qa_gaps DROP CONSTRAINT qa_gaps_teach_only_dismissed_check, DROP COLUMN teach_out_of_scope;
DROP FUNCTION public.request_answer_model_on_change();
DROP FUNCTION public.request_answer_model(uuid);
DROP TABLE public.answer_model_requests;
DROP TABLE public.answer_models;
