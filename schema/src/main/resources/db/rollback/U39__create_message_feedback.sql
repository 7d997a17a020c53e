-- U39: undo V39.
ALTER TABLE public.qa_gaps DROP COLUMN feedback_comment, DROP COLUMN kind;
DROP TABLE public.message_feedback;
