package dev.clara.bench;

import java.util.ArrayList;
import java.util.List;

import dev.clara.shared.embedding.EmbeddingProvider;
import dev.clara.shared.embedding.EmbeddingProviders;
import dev.clara.shared.embedding.EmbeddingSettings;

/**
 * Embeddings per second of the in-process model for the batch sizes the worker can use.
 * Arguments: [model] [texts per batch size]
 */
public class EmbeddingBatchThroughput {

	public static void main(String[] args) {
		String model = args.length > 0 ? args[0] : "all-minilm-l6-v2-q";
		int texts = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
		EmbeddingProvider provider = EmbeddingProviders.create(EmbeddingSettings.local(model));
		List<String> corpus = new ArrayList<>();
		for (int i = 0; i < texts; i++) {
			corpus.add("How do I configure option " + i + " of the billing settings for a team of " + (i % 50) + "?");
		}
		provider.embedAll(corpus.subList(0, 64)); // warm-up
		for (int batch : new int[] { 1, 16, 64 }) {
			long start = System.nanoTime();
			for (int from = 0; from < texts; from += batch) {
				provider.embedAll(corpus.subList(from, Math.min(texts, from + batch)));
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			System.out.printf("%s batch %3d: %.0f embeddings/s%n", model, batch, texts / seconds);
		}
		System.exit(0);
	}

}
