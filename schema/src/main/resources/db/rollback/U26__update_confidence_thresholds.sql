-- U26: undo V26 (V3's provisional thresholds and notes).
UPDATE public.embedding_models SET confidence_threshold = 0.55,
       notes = 'LangChain4j AllMiniLmL6V2QuantizedEmbeddingModel (in-process, default). Thresholds provisional.'
 WHERE id = 'all-minilm-l6-v2-q';
UPDATE public.embedding_models SET confidence_threshold = 0.75,
       notes = 'LangChain4j BgeSmallEnV15QuantizedEmbeddingModel (in-process). Thresholds provisional.'
 WHERE id = 'bge-small-en-v1.5-q';
