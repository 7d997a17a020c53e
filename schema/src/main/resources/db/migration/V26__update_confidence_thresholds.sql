-- V26: the local models' default confidence thresholds, measured on CLINC150 (evaluation/,
-- docs/quality.md) instead of V3's provisional values (0.55 / 0.75). Each is the threshold chosen
-- on the tune half of the validation split for the default search (semantic, vote over the 5 best
-- hits): the one that flags the most out-of-scope questions while costing neither the full nor the
-- small knowledge base more than one point of in-scope accuracy. OpenAI's 0.78 (from 004) was not
-- measured and stays. Workspaces with their own settings.confidence_threshold keep it.

UPDATE public.embedding_models SET confidence_threshold = 0.34,
       notes = 'LangChain4j AllMiniLmL6V2QuantizedEmbeddingModel (in-process, default). confidence_threshold measured on CLINC150 (docs/quality.md); other thresholds provisional.'
 WHERE id = 'all-minilm-l6-v2-q';
UPDATE public.embedding_models SET confidence_threshold = 0.66,
       notes = 'LangChain4j BgeSmallEnV15QuantizedEmbeddingModel (in-process). confidence_threshold measured on CLINC150 (docs/quality.md); other thresholds provisional.'
 WHERE id = 'bge-small-en-v1.5-q';
