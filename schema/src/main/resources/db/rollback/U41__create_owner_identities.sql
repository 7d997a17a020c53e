-- U41: undo V41. Owners who signed in only through a provider keep their accounts (without a
-- password: they sign in again by a password reset).
DROP TABLE public.owner_identities;
