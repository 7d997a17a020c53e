-- V27: bge-small-en-v1.5-q becomes the default model, with semantic search and the best match
-- taken as the top hit: the configuration measured best on CLINC150 (docs/quality.md). Each local
-- model's confidence threshold is the one tuned for that search on the tune half of the validation
-- split (V26's were tuned for a vote over the 5 best hits). Workspaces with their own
-- settings.confidence_threshold keep it.

UPDATE public.embedding_models SET confidence_threshold = 0.37,
       notes = 'LangChain4j AllMiniLmL6V2QuantizedEmbeddingModel (in-process). confidence_threshold measured on CLINC150 for semantic top-1 search (docs/quality.md); other thresholds provisional.'
 WHERE id = 'all-minilm-l6-v2-q';
UPDATE public.embedding_models SET confidence_threshold = 0.67,
       notes = 'LangChain4j BgeSmallEnV15QuantizedEmbeddingModel (in-process, default). confidence_threshold measured on CLINC150 for semantic top-1 search (docs/quality.md); other thresholds provisional.'
 WHERE id = 'bge-small-en-v1.5-q';
