-- V61: a message touches its conversation only when the conversation is not touched already.
--
-- A chat turn writes its conversation (an upsert, which sets updated_at to now()) and then two
-- messages in the same statement; each message's trigger updated the conversation again, to the
-- same now() (a transaction's now() does not move). Those two updates changed nothing anyone can
-- read but cost two new versions of the row, each with an entry in every one of the conversation's
-- eight indexes (updated_at is indexed, so no update of it is HOT), and left the row's dead
-- versions for vacuum. Skipping a conversation whose updated_at is already now() gives the same
-- updated_at in every case.

CREATE OR REPLACE FUNCTION public.touch_conversation_on_message() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  UPDATE public.conversations SET updated_at = now()
   WHERE id = NEW.conversation_id AND updated_at IS DISTINCT FROM now();
  RETURN NULL;
END
$$;
