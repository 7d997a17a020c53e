-- U7: undo V7.
DROP FUNCTION public.set_default_api_key(uuid);
DROP TABLE public.api_keys;
