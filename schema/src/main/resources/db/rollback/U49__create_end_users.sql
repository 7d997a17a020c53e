-- U49: undo V49.
DROP TRIGGER guard_conversation_end_user ON public.conversations;
DROP FUNCTION public.guard_conversation_end_user();
ALTER TABLE public.conversations DROP COLUMN end_user_id;
DROP TABLE public.end_users;
