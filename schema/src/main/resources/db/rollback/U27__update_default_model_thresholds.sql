-- U27: undo V27 (V26's thresholds and notes).
UPDATE public.embedding_models SET confidence_threshold = 0.34,
       notes = 'LangChain4j AllMiniLmL6V2QuantizedEmbeddingModel (in-process, default). confidence_threshold measured on CLINC150 (docs/quality.md); other thresholds provisional.'
 WHERE id = 'all-minilm-l6-v2-q';
UPDATE public.embedding_models SET confidence_threshold = 0.66,
       notes = 'LangChain4j BgeSmallEnV15QuantizedEmbeddingModel (in-process). confidence_threshold measured on CLINC150 (docs/quality.md); other thresholds provisional.'
 WHERE id = 'bge-small-en-v1.5-q';
