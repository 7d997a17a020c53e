-- U10: undo V10.
DROP FUNCTION public.prune_processed_events(interval);
DROP FUNCTION public.prune_outbox_events(interval);
DROP TABLE public.processed_events;
DROP TABLE public.outbox_events;
