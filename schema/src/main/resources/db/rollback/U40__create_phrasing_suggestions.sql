-- U40: undo V40.
DROP TABLE public.phrasing_suggestions;
