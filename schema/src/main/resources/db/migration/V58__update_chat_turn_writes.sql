-- V58: what a public chat turn writes costs it less.
--
-- 1. refuse_chat_turn: chat-api writes a whole turn (end user, conversation, both messages, usage,
--    document links, the QuestionAsked outbox row) as one data-modifying WITH statement, one round
--    trip. When the conversation turns out to be another user's, or the visitor's message was
--    already stored, none of it may stay: the statement's final SELECT calls this function, whose
--    error undoes the whole statement. The SQLSTATE (CL409) and the message tell chat-api which
--    refusal it was.
-- 2. rate_limit_counters becomes UNLOGGED: every turn counts itself there first, and a logged
--    table made that commit wait for a WAL flush (1-5 ms on the development machine) for counters
--    that only matter for the current minute. After a crash PostgreSQL empties an unlogged table:
--    the windows start again from zero, which a fixed-window limiter tolerates; the table is in no
--    publication and no replica reads it.

CREATE FUNCTION public.refuse_chat_turn(reason text) RETURNS boolean
  LANGUAGE plpgsql
  VOLATILE
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'CL409', MESSAGE = reason;
END
$$;
REVOKE ALL ON FUNCTION public.refuse_chat_turn(text) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.refuse_chat_turn(text) TO service_role;
COMMENT ON FUNCTION public.refuse_chat_turn(text) IS
  'Raises CL409 with the reason: undoes the chat API''s one-statement turn write (not_yours, already_recorded).';

ALTER TABLE public.rate_limit_counters SET UNLOGGED;
