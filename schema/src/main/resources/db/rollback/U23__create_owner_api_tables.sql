-- U23: undo V23.
DROP TABLE public.storage_object_contents;
DROP TABLE public.owner_refresh_tokens;
DROP TABLE public.qa_import_rows;
DROP TABLE public.qa_import_jobs;
