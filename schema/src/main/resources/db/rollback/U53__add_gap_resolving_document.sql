-- U53: undo V53.
DROP INDEX public.idx_qa_gaps_resolved_document;
ALTER TABLE public.qa_gaps DROP CONSTRAINT qa_gaps_resolved_document_fkey;
ALTER TABLE public.qa_gaps DROP COLUMN resolved_document_id;
