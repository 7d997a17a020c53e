-- U48: undo V48.
ALTER TABLE public.workspaces DROP CONSTRAINT workspaces_identity_settings_check;
DROP TABLE public.identity_secrets;
