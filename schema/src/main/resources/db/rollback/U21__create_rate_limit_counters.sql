DROP TABLE IF EXISTS public.rate_limit_counters;
