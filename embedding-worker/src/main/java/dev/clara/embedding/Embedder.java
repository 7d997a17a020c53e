package dev.clara.embedding;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.clara.shared.embedding.EmbeddingProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/** Embeds a batch of pending pairs in one provider call and writes the vectors back. */
@Component
class Embedder {

	private final EmbeddingProvider provider;

	private final PairEmbeddings pairs;

	private final Timer providerLatency;

	private final DistributionSummary batchSize;

	private final Counter embedded;

	private final Counter discarded;

	Embedder(EmbeddingProvider provider, PairEmbeddings pairs, MeterRegistry meters) {
		this.provider = provider;
		this.pairs = pairs;
		this.providerLatency = Timer.builder("clara.embedding.provider.latency").register(meters);
		this.batchSize = DistributionSummary.builder("clara.embedding.batch.size").register(meters);
		this.embedded = Counter.builder("clara.embedding.embedded").description("vectors written").register(meters);
		this.discarded = Counter.builder("clara.embedding.discarded")
			.description("vectors not written because the text changed meanwhile")
			.register(meters);
	}

	String model() {
		return this.provider.modelId();
	}

	/** Returns the number of vectors written. */
	int embed(List<PairEmbeddings.Pending> batch) {
		if (batch.isEmpty()) {
			return 0;
		}
		this.batchSize.record(batch.size());
		long started = System.nanoTime();
		List<float[]> vectors = this.provider.embedAll(batch.stream().map(PairEmbeddings.Pending::question).toList());
		this.providerLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		int written = this.pairs.write(batch, vectors, this.provider.modelId());
		this.embedded.increment(written);
		this.discarded.increment(batch.size() - written);
		return written;
	}

}
