package dev.clara.shared.embedding;

import java.util.ArrayList;
import java.util.List;

/**
 * Not a test (Surefire does not pick it up): measures sentences per second for a batch of 256 per
 * local model. Run from the module with the test classpath, e.g.
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) dev.clara.shared.embedding.LocalEmbeddingThroughput}.
 */
public final class LocalEmbeddingThroughput {

	private LocalEmbeddingThroughput() {
	}

	public static void main(String[] args) {
		int batchSize = (args.length > 0) ? Integer.parseInt(args[0]) : 256;
		List<String> texts = new ArrayList<>();
		String[] topics = { "pricing", "opening hours", "refunds", "shipping", "the mobile app", "booking a call",
				"data privacy", "integrations" };
		for (int i = 0; i < batchSize; i++) {
			texts.add("Question " + i + ": can you tell me more about " + topics[i % topics.length]
					+ " for a small team of " + (i % 17 + 2) + " people?");
		}
		for (String model : LocalEmbeddingProvider.modelIds().stream().sorted().toList()) {
			long loadStart = System.nanoTime();
			LocalEmbeddingProvider provider = new LocalEmbeddingProvider(model);
			provider.embed("warm up");
			double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
			provider.embedAll(texts.subList(0, Math.min(32, texts.size())));
			for (int run = 1; run <= 3; run++) {
				long start = System.nanoTime();
				provider.embedAll(texts);
				double seconds = (System.nanoTime() - start) / 1e9;
				System.out.printf("%-20s load+warm-up %.2f s, run %d: %d sentences in %.2f s = %.0f sentences/s%n",
						model, loadSeconds, run, batchSize, seconds, batchSize / seconds);
			}
		}
	}

}
