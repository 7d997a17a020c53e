-- U28: undo V28.
DROP FUNCTION public.workspace_confidence_threshold(jsonb, text);
