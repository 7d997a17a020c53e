-- U5: undo V5.
DROP VIEW public.chat_sessions;
DROP TABLE public.messages;
DROP FUNCTION public.touch_conversation_on_message();
DROP TABLE public.conversations;
