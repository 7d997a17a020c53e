-- U50: undo V50.
DROP FUNCTION public.erase_conversations(uuid, uuid[]);
