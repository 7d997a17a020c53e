-- U33: undo V33.
DROP FUNCTION public.answer_model_request_status(uuid);
