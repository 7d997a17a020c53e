-- V39: visitor feedback on Clara's answers, and gaps that come from it.
--
--   * message_feedback: a visitor's thumbs up or down (and an optional comment) on one assistant
--     message of their own conversation; one row per assistant message, the last rating wins. The
--     chat API writes it (service role) with the AnswerRated outbox row; owners read it.
--   * qa_gaps.kind: 'unanswered' (Clara was not confident: the gap detector's QuestionAsked path)
--     or 'feedback' (Clara answered, the visitor said the answer was wrong: AnswerRated 'down').
--     qa_gaps.feedback_comment: the visitor's comment on that answer (ai_answer holds the answer).
--     Feedback gaps share the open-question dedupe index and the grouping of the other gaps.

CREATE TABLE public.message_feedback (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id    uuid NOT NULL,
  conversation_id uuid NOT NULL,
  message_id      uuid NOT NULL,
  rating          text NOT NULL CHECK (rating IN ('up', 'down')),
  comment         text CHECK (char_length(comment) <= 1000),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT message_feedback_message_unique UNIQUE (conversation_id, message_id),
  CONSTRAINT message_feedback_message_fkey FOREIGN KEY (conversation_id, message_id)
    REFERENCES public.messages (conversation_id, message_id) ON DELETE CASCADE,
  CONSTRAINT message_feedback_conversation_fkey FOREIGN KEY (conversation_id, workspace_id)
    REFERENCES public.conversations (id, workspace_id) ON DELETE CASCADE
);
COMMENT ON TABLE public.message_feedback IS
  'A visitor''s rating of one assistant message (messages.message_id of its conversation); the last rating wins. Written by the chat API (service_role); owners read.';
COMMENT ON COLUMN public.message_feedback.comment IS 'The visitor''s optional comment, at most 1,000 characters.';

CREATE INDEX idx_message_feedback_workspace_updated ON public.message_feedback (workspace_id, updated_at DESC);

CREATE TRIGGER set_updated_at_message_feedback
  BEFORE UPDATE ON public.message_feedback
  FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.message_feedback ENABLE ROW LEVEL SECURITY;

CREATE POLICY message_feedback_owner_read ON public.message_feedback
  FOR SELECT TO authenticated
  USING (workspace_id IN (SELECT w.id FROM public.workspaces w WHERE w.owner_id = (SELECT auth.uid())));

REVOKE ALL ON TABLE public.message_feedback FROM PUBLIC, anon, authenticated;
GRANT SELECT ON TABLE public.message_feedback TO authenticated;
GRANT ALL ON TABLE public.message_feedback TO service_role;

ALTER TABLE public.qa_gaps
  ADD COLUMN kind text NOT NULL DEFAULT 'unanswered'
    CONSTRAINT qa_gaps_kind_check CHECK (kind IN ('unanswered', 'feedback')),
  ADD COLUMN feedback_comment text CONSTRAINT qa_gaps_feedback_comment_check CHECK (char_length(feedback_comment) <= 1000);
COMMENT ON COLUMN public.qa_gaps.kind IS
  'unanswered: Clara was not confident enough to answer; feedback: Clara answered and the visitor rated the answer down.';
COMMENT ON COLUMN public.qa_gaps.feedback_comment IS 'The visitor''s comment on the answer (ai_answer) they rated down; null for none.';
