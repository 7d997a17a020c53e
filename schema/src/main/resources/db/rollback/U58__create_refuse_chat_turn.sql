-- U58: undo V58 (chat-api before its one-statement turn write).
DROP FUNCTION IF EXISTS public.refuse_chat_turn(text);
