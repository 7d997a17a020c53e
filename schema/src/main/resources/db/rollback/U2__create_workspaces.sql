-- U2: undo V2.
DROP TRIGGER clara_on_auth_user_created ON auth.users;
DROP FUNCTION public.handle_new_auth_user();
DROP TABLE public.workspaces;
DROP TABLE public.profiles;
DROP FUNCTION public.set_updated_at();
