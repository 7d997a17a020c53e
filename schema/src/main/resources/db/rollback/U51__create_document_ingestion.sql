-- U51: undo V51 (documents larger than 5 MiB must be deleted first).
DROP TABLE public.document_chunk_staged_embeddings;

DROP INDEX public.idx_document_chunks_search_text;
ALTER TABLE public.document_chunks
  DROP CONSTRAINT document_chunks_document_version_chunk_unique,
  DROP COLUMN search_text,
  DROP COLUMN document_version;
ALTER TABLE public.document_chunks
  ADD CONSTRAINT document_chunks_document_chunk_unique UNIQUE (document_id, chunk_index);

DROP INDEX public.idx_documents_workspace_created;
ALTER TABLE public.documents
  DROP CONSTRAINT documents_failed_has_reason_check,
  DROP CONSTRAINT documents_serving_version_check,
  DROP COLUMN sha256,
  DROP COLUMN file_name,
  DROP COLUMN failure_reason,
  DROP COLUMN serving_version,
  DROP COLUMN version;

ALTER TABLE public.storage_object_contents ALTER COLUMN content SET STORAGE EXTENDED;
ALTER TABLE public.storage_object_contents DROP CONSTRAINT storage_object_contents_content_check;
ALTER TABLE public.storage_object_contents
  ADD CONSTRAINT storage_object_contents_content_check CHECK (octet_length(content) <= 5242880);

DROP POLICY "Owners delete own documents" ON storage.objects;
DROP POLICY "Owners update own documents" ON storage.objects;
DROP POLICY "Owners upload own documents" ON storage.objects;
DROP POLICY "Owners read own documents" ON storage.objects;
DELETE FROM storage.objects WHERE bucket_id = 'documents';
DELETE FROM storage.buckets WHERE id = 'documents';
