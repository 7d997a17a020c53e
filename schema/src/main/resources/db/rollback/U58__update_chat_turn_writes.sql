-- U58: undo V58 (chat-api before its one-statement turn write; the rate limit counters logged again).
ALTER TABLE public.rate_limit_counters SET LOGGED;
DROP FUNCTION IF EXISTS public.refuse_chat_turn(text);
