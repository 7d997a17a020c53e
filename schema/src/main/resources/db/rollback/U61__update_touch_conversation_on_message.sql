-- U61: undo V61 (every new message updates its conversation again).
CREATE OR REPLACE FUNCTION public.touch_conversation_on_message() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  UPDATE public.conversations SET updated_at = now() WHERE id = NEW.conversation_id;
  RETURN NULL;
END
$$;
