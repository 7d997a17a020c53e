-- U38: undo V38.
DROP TABLE public.spend_cap_events;
