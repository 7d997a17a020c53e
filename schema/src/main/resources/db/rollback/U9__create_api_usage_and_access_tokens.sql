-- U9: undo V9.
DROP TABLE public.access_tokens;
DROP TABLE public.api_usage;
