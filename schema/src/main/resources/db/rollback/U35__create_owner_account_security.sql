-- U35: undo V35. The confirmation times V35 gave existing shim accounts stay: they cannot be told
-- from confirmations made since, and V34's code never reads them as unconfirmed.
DROP TABLE public.owner_auth_throttle;
DROP TABLE public.owner_account_tokens;
