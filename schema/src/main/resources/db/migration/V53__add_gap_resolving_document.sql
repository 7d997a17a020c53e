-- V53: a gap can be closed by a document. When a document version becomes ready, the gap detector
-- resolves the open gaps of its workspace that a passage of it now answers (the chat turn's own
-- rule: the passage's similarity reaches the model's passage_threshold) and records which
-- document did, as resolved_qa_id records the pair that closed a gap.

ALTER TABLE public.qa_gaps ADD COLUMN resolved_document_id uuid;
ALTER TABLE public.qa_gaps
  ADD CONSTRAINT qa_gaps_resolved_document_fkey FOREIGN KEY (resolved_document_id, workspace_id)
    REFERENCES public.documents (id, workspace_id) ON DELETE SET NULL (resolved_document_id);
CREATE INDEX idx_qa_gaps_resolved_document ON public.qa_gaps (resolved_document_id)
  WHERE resolved_document_id IS NOT NULL;
COMMENT ON COLUMN public.qa_gaps.resolved_document_id IS
  'The document whose passage answers the gap, when a document closed it automatically.';
