-- V55: the passage thresholds of the local models measured on the documents benchmark (SQuAD 2.0,
-- ten articles uploaded as documents, every question asked through the chat API; docs/quality.md,
-- "Answers from documents"). V52's values rested on one example: bge-small's 0.70 turned away 37 %
-- and MiniLM's 0.45 31 % of the answerable questions of the tuning articles.
--
-- Each value is the threshold that flags the most unanswerable questions of the tuning articles
-- (the first five) while costing at most one point of answer recall@5 against no threshold, with
-- the default chunking (1,000 characters, 200 of overlap) and hybrid passage search: 0.54 for
-- bge-small-en-v1.5, 0.21 for all-MiniLM-L6-v2. text-embedding-3-small keeps V52's 0.45: it was
-- not measured (it cannot be run without an OpenAI key).

UPDATE public.embedding_models SET passage_threshold = CASE id
  WHEN 'bge-small-en-v1.5-q' THEN 0.54
  WHEN 'all-minilm-l6-v2-q' THEN 0.21
  ELSE passage_threshold END
 WHERE id IN ('bge-small-en-v1.5-q', 'all-minilm-l6-v2-q');
