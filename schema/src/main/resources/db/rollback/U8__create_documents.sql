-- U8: undo V8.
DROP TABLE public.document_conversation_links;
DROP TABLE public.document_chunks;
DROP TABLE public.documents;
