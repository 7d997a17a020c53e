-- V31: the per-workspace answer model (docs/quality.md, "The answer model") and what it is
-- checked against.
--
--   * answer_models: every trained model of a workspace, versioned 1, 2, 3, ... The weights and
--     the answer groups in order are the stored form of dev.clara.shared.answers.AnswerModel
--     (model); groups repeats the groups with the pairs each held, so the chat turn can tell a pair
--     the model saw from a newer one. fingerprint says what it was trained on: a run that finds the
--     same fingerprint stores nothing. health: cross-validation on the workspace's own phrasings,
--     filled after the model is stored (null until then, and for models too small to check).
--   * answer_model_requests: workspaces whose model is out of date, the trainer's queue. A change
--     moves last_requested_at; the trainer takes a workspace once it has been quiet a while (or
--     waited long enough), leasing it with claimed_until so a crashed trainer's work is taken again.
--   * answer_test_questions / answer_test_results: an owner's own test questions, each with the
--     pair it should get (or none: it should not be answered), and how every model did on them.
--   * qa_gaps.teach_out_of_scope: a dismissed gap the owner marked as "not something we answer",
--     an out-of-scope example for the workspace's model (reversible). Changing it, or the test
--     questions, asks for training through a trigger, so no caller can forget to.

CREATE TABLE public.answer_models (
  workspace_id        uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  version             integer NOT NULL CHECK (version >= 1),
  embedding_model     text NOT NULL REFERENCES public.embedding_models (id),
  model               bytea NOT NULL,
  groups              jsonb NOT NULL CHECK (jsonb_typeof(groups) = 'array'),
  pair_count          integer NOT NULL CHECK (pair_count >= 1),
  group_count         integer NOT NULL CHECK (group_count >= 1),
  out_of_scope_count  integer NOT NULL DEFAULT 0 CHECK (out_of_scope_count >= 0),
  fingerprint         text NOT NULL,
  iterations          integer NOT NULL CHECK (iterations >= 0),
  converged           boolean NOT NULL,
  loss                double precision NOT NULL,
  training_ms         integer NOT NULL CHECK (training_ms >= 0),
  health              jsonb,
  trained_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, version)
);
COMMENT ON TABLE public.answer_models IS
  'Trained answer models per workspace (versioned); the newest version of the search model is the one in use.';
COMMENT ON COLUMN public.answer_models.groups IS
  '[{"group_id": "...", "pair_ids": ["..."]}] in the model''s class order.';

ALTER TABLE public.answer_models ENABLE ROW LEVEL SECURITY;
CREATE POLICY answer_models_owner_read ON public.answer_models
  FOR SELECT TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));
REVOKE ALL ON TABLE public.answer_models FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.answer_models TO authenticated;
GRANT ALL ON TABLE public.answer_models TO service_role;

CREATE TABLE public.answer_model_requests (
  workspace_id       uuid PRIMARY KEY REFERENCES public.workspaces (id) ON DELETE CASCADE,
  first_requested_at timestamptz NOT NULL DEFAULT now(),
  last_requested_at  timestamptz NOT NULL DEFAULT now(),
  claimed_until      timestamptz
);
COMMENT ON TABLE public.answer_model_requests IS
  'Workspaces whose answer model is out of date (the trainer''s debounced queue).';
ALTER TABLE public.answer_model_requests ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.answer_model_requests FROM PUBLIC, anon, authenticated;
GRANT ALL ON TABLE public.answer_model_requests TO service_role;

-- Owner changes that affect training ask for it here: runs with the definer's rights because the
-- queue is the service's table, and touches nothing but the one row.
CREATE FUNCTION public.request_answer_model(p_workspace_id uuid) RETURNS void
  LANGUAGE sql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
    INSERT INTO public.answer_model_requests AS r (workspace_id)
    SELECT w.id FROM public.workspaces w WHERE w.id = p_workspace_id
    ON CONFLICT (workspace_id) DO UPDATE SET last_requested_at = greatest(r.last_requested_at, now())
  $$;
REVOKE ALL ON FUNCTION public.request_answer_model(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.request_answer_model(uuid) TO service_role;

CREATE FUNCTION public.request_answer_model_on_change() RETURNS trigger
  LANGUAGE plpgsql
  SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  PERFORM public.request_answer_model(CASE WHEN TG_OP = 'DELETE' THEN OLD.workspace_id ELSE NEW.workspace_id END);
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION public.request_answer_model_on_change() FROM PUBLIC, anon, authenticated;

ALTER TABLE public.qa_gaps
  ADD COLUMN teach_out_of_scope boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT qa_gaps_teach_only_dismissed_check CHECK (NOT teach_out_of_scope OR status = 'dismissed');
COMMENT ON COLUMN public.qa_gaps.teach_out_of_scope IS
  'A dismissed gap the owner marked "not something we answer": an out-of-scope example of the workspace''s answer model.';
CREATE INDEX idx_qa_gaps_teach ON public.qa_gaps (workspace_id) WHERE teach_out_of_scope;
CREATE TRIGGER request_answer_model_qa_gaps
  AFTER UPDATE OF teach_out_of_scope ON public.qa_gaps
  FOR EACH ROW WHEN (OLD.teach_out_of_scope IS DISTINCT FROM NEW.teach_out_of_scope)
  EXECUTE FUNCTION public.request_answer_model_on_change();

CREATE TABLE public.answer_test_questions (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id       uuid NOT NULL REFERENCES public.workspaces (id) ON DELETE CASCADE,
  question           text NOT NULL CHECK (btrim(question) <> '' AND char_length(question) <= 2000),
  expected_qa_id     uuid,
  embedding          extensions.vector,
  embedding_model    text REFERENCES public.embedding_models (id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT answer_test_questions_id_workspace_id_key UNIQUE (id, workspace_id),
  -- deleting the expected pair deletes the test: "should get a pair that no longer exists" is no test
  CONSTRAINT answer_test_questions_expected_fkey FOREIGN KEY (expected_qa_id, workspace_id)
    REFERENCES public.qa_pairs (id, workspace_id) ON DELETE CASCADE,
  CONSTRAINT answer_test_questions_embedding_all_or_none_check
    CHECK ((embedding IS NULL) = (embedding_model IS NULL))
);
COMMENT ON COLUMN public.answer_test_questions.expected_qa_id IS
  'The pair whose answer the question should get (any pair of its answer group counts); null = should not be answered.';
CREATE INDEX idx_answer_test_questions_workspace ON public.answer_test_questions (workspace_id, created_at);
CREATE INDEX idx_answer_test_questions_expected ON public.answer_test_questions (expected_qa_id)
  WHERE expected_qa_id IS NOT NULL;
CREATE TRIGGER check_embedding_dimensions_answer_test_questions
  BEFORE INSERT OR UPDATE OF embedding, embedding_model ON public.answer_test_questions
  FOR EACH ROW EXECUTE FUNCTION public.check_embedding_dimensions();
CREATE TRIGGER request_answer_model_answer_test_questions
  AFTER INSERT OR DELETE OR UPDATE OF question, expected_qa_id ON public.answer_test_questions
  FOR EACH ROW EXECUTE FUNCTION public.request_answer_model_on_change();

ALTER TABLE public.answer_test_questions ENABLE ROW LEVEL SECURITY;
CREATE POLICY answer_test_questions_owner ON public.answer_test_questions
  FOR ALL TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())))
  WITH CHECK (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));
REVOKE ALL ON TABLE public.answer_test_questions FROM PUBLIC, anon, authenticated;
GRANT SELECT, INSERT, DELETE ON TABLE public.answer_test_questions TO authenticated;
GRANT UPDATE (question, expected_qa_id) ON TABLE public.answer_test_questions TO authenticated;
GRANT ALL ON TABLE public.answer_test_questions TO service_role;

CREATE TABLE public.answer_test_results (
  workspace_id     uuid NOT NULL,
  model_version    integer NOT NULL,
  test_question_id uuid NOT NULL,
  outcome          text NOT NULL CHECK (outcome IN ('right', 'wrong_answer', 'wrongly_flagged', 'wrongly_answered')),
  answered_qa_id   uuid,
  confidence       double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  PRIMARY KEY (workspace_id, model_version, test_question_id),
  FOREIGN KEY (workspace_id, model_version) REFERENCES public.answer_models (workspace_id, version) ON DELETE CASCADE,
  FOREIGN KEY (test_question_id, workspace_id)
    REFERENCES public.answer_test_questions (id, workspace_id) ON DELETE CASCADE
);
COMMENT ON TABLE public.answer_test_results IS
  'How each answer model version did on the owner''s test questions.';
CREATE INDEX idx_answer_test_results_question ON public.answer_test_results (test_question_id);

ALTER TABLE public.answer_test_results ENABLE ROW LEVEL SECURITY;
CREATE POLICY answer_test_results_owner_read ON public.answer_test_results
  FOR SELECT TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));
REVOKE ALL ON TABLE public.answer_test_results FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.answer_test_results TO authenticated;
GRANT ALL ON TABLE public.answer_test_results TO service_role;
