-- V54: support transcripts become suggested Q&A pairs the owner reviews.
--
--   * embedding_models.transcript_overlap_threshold: the cosine similarity from which a question
--     taken from a transcript counts as already answered by an existing pair ("already covered by
--     …") instead of being suggested. 0.85 on OpenAI's text-embedding-3-small scale (the original
--     specification's value). The local models score on other scales, so theirs is derived the
--     way their other thresholds relate to OpenAI's: 0.85 lies 41% of the way from OpenAI's
--     confidence threshold (0.78, "this pair answers the question") to its near-duplicate
--     threshold (0.95, "the same question"), and each local model gets the point 41% of the way
--     between its own two measured/chosen values: bge-small-en-v1.5-q 0.67 → 0.95 gives 0.79,
--     all-minilm-l6-v2-q 0.37 → 0.92 gives 0.60. Both stay above the model's gap grouping
--     threshold (0.65 / 0.50), as "covered" must be stricter than "asked about the same thing".
--     Initial values, to be measured like the others (docs/quality.md).
--   * transcripts: what an owner uploaded (a chat or call transcript with speaker labels, or a
--     JSON export of conversations), its text (bounded by the upload limit) and what came of it.
--   * transcript_suggestions: one proposed pair per distinct customer question, with the agent's
--     answer: suggested (awaiting the owner), covered (an existing pair answers it: which one, how
--     similar), accepted (the pair it became) or rejected. Questions that are near-identical (the
--     model's near_duplicate_threshold) across the workspace's pending suggestions are merged into
--     one row whose sources counts the exchanges behind it; the question's vector is kept for that.
--   * owners read and write both tables in their own transaction, under row-level security.

ALTER TABLE public.embedding_models
  ADD COLUMN transcript_overlap_threshold double precision NOT NULL DEFAULT 0.85
    CHECK (transcript_overlap_threshold BETWEEN 0 AND 1);
UPDATE public.embedding_models SET transcript_overlap_threshold = CASE id
  WHEN 'all-minilm-l6-v2-q' THEN 0.60
  WHEN 'bge-small-en-v1.5-q' THEN 0.79
  WHEN 'text-embedding-3-small' THEN 0.85
  ELSE transcript_overlap_threshold END;
COMMENT ON COLUMN public.embedding_models.transcript_overlap_threshold IS
  'Question-to-question cosine similarity from which a question taken from a support transcript is already covered by an existing pair.';

CREATE TABLE public.transcripts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  title           text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  format          text NOT NULL CHECK (format IN ('text', 'json')),
  content         text CHECK (char_length(content) <= 1048576),
  extracted_by    text NOT NULL CHECK (extracted_by IN ('llm', 'extractive')),
  exchange_count  integer NOT NULL DEFAULT 0 CHECK (exchange_count >= 0),
  suggested_count integer NOT NULL DEFAULT 0 CHECK (suggested_count >= 0),
  covered_count   integer NOT NULL DEFAULT 0 CHECK (covered_count >= 0),
  merged_count    integer NOT NULL DEFAULT 0 CHECK (merged_count >= 0),
  created_by      uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT transcripts_id_workspace_unique UNIQUE (id, workspace_id)
);
COMMENT ON TABLE public.transcripts IS
  'A support transcript an owner uploaded to have Q&A pairs suggested from it, with its text and what came of it.';
COMMENT ON COLUMN public.transcripts.content IS 'The uploaded text as received (null when it was not kept).';
COMMENT ON COLUMN public.transcripts.merged_count IS 'Exchanges that joined a suggestion already pending instead of making their own.';

CREATE INDEX idx_transcripts_workspace_created ON public.transcripts (workspace_id, created_at DESC);
CREATE INDEX idx_transcripts_created_by ON public.transcripts (created_by);

CREATE TABLE public.transcript_suggestions (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id       uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  transcript_id      uuid NOT NULL,
  question           text NOT NULL CHECK (char_length(question) BETWEEN 1 AND 4000),
  answer             text NOT NULL CHECK (char_length(answer) BETWEEN 1 AND 20000),
  status             text NOT NULL DEFAULT 'suggested' CHECK (status IN ('suggested', 'covered', 'accepted', 'rejected')),
  covered_by_qa_id   uuid,
  covered_similarity double precision CHECK (covered_similarity BETWEEN -1 AND 1),
  sources            integer NOT NULL DEFAULT 1 CHECK (sources >= 1),
  accepted_qa_id     uuid,
  embedding          extensions.vector,
  embedding_model    text REFERENCES public.embedding_models (id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  decided_at         timestamptz,
  CONSTRAINT transcript_suggestions_transcript_fkey FOREIGN KEY (transcript_id, workspace_id)
    REFERENCES public.transcripts (id, workspace_id) ON DELETE CASCADE,
  CONSTRAINT transcript_suggestions_covered_fkey FOREIGN KEY (covered_by_qa_id, workspace_id)
    REFERENCES public.qa_pairs (id, workspace_id) ON DELETE SET NULL (covered_by_qa_id),
  CONSTRAINT transcript_suggestions_accepted_fkey FOREIGN KEY (accepted_qa_id, workspace_id)
    REFERENCES public.qa_pairs (id, workspace_id) ON DELETE SET NULL (accepted_qa_id),
  CONSTRAINT transcript_suggestions_embedding_check CHECK ((embedding IS NULL) = (embedding_model IS NULL)),
  CONSTRAINT transcript_suggestions_decision_check
    CHECK ((status IN ('accepted', 'rejected')) = (decided_at IS NOT NULL))
);
COMMENT ON TABLE public.transcript_suggestions IS
  'A Q&A pair proposed from support transcripts: suggested, covered by an existing pair, accepted (the pair it became) or rejected by the owner.';
COMMENT ON COLUMN public.transcript_suggestions.sources IS 'How many transcript exchanges asked this question (merged when near-identical).';
COMMENT ON COLUMN public.transcript_suggestions.embedding IS 'The question''s vector by embedding_model, to merge later near-identical questions into this row.';

CREATE TRIGGER check_embedding_dimensions_transcript_suggestions
  BEFORE INSERT OR UPDATE OF embedding, embedding_model ON public.transcript_suggestions
  FOR EACH ROW EXECUTE FUNCTION public.check_embedding_dimensions();

CREATE INDEX idx_transcript_suggestions_workspace_status ON public.transcript_suggestions (workspace_id, status, created_at DESC);
CREATE INDEX idx_transcript_suggestions_transcript ON public.transcript_suggestions (transcript_id, workspace_id);
CREATE INDEX idx_transcript_suggestions_covered ON public.transcript_suggestions (covered_by_qa_id, workspace_id);
CREATE INDEX idx_transcript_suggestions_accepted ON public.transcript_suggestions (accepted_qa_id, workspace_id);
CREATE INDEX idx_transcript_suggestions_embedding_model ON public.transcript_suggestions (embedding_model);

ALTER TABLE public.transcripts ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.transcript_suggestions ENABLE ROW LEVEL SECURITY;

CREATE POLICY transcripts_owner ON public.transcripts
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));
CREATE POLICY transcript_suggestions_owner ON public.transcript_suggestions
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.transcripts, public.transcript_suggestions FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.transcripts, public.transcript_suggestions TO authenticated;
GRANT ALL ON TABLE public.transcripts, public.transcript_suggestions TO service_role;
