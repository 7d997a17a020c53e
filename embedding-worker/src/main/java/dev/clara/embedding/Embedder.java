package dev.clara.embedding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.clara.shared.embedding.EmbeddingProvider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * Embeds a batch of pending pairs and writes the vectors back. An in-process model embeds the
 * batch in one call; a billed (remote) provider is called once per workspace of the batch, because
 * it reports the tokens of a request, not of each input: so each workspace is charged exactly what
 * the provider billed for its own questions, never an estimate of its share.
 */
@Component
class Embedder {

	private final EmbeddingProvider provider;

	private final PairEmbeddings pairs;

	private final Timer providerLatency;

	private final Timer batch;

	private final DistributionSummary batchSize;

	private final Counter embedded;

	private final Counter discarded;

	Embedder(EmbeddingProvider provider, PairEmbeddings pairs, MeterRegistry meters) {
		this.provider = provider;
		this.pairs = pairs;
		// tagged with the deployment's model (configuration, one value per worker): a dashboard
		// compares models across deployments; nothing a tenant sends becomes a tag
		String model = provider.modelId();
		this.providerLatency = Timer.builder("clara.embedding.provider.latency").tag("model", model).register(meters);
		this.batch = Timer.builder("clara.embedding.batch")
			.description("one batch: the provider's vectors and their write")
			.tag("model", model)
			.publishPercentileHistogram()
			.register(meters);
		this.batchSize = DistributionSummary.builder("clara.embedding.batch.size").tag("model", model).register(meters);
		this.embedded = Counter.builder("clara.embedding.embedded")
			.description("vectors written")
			.tag("model", model)
			.register(meters);
		this.discarded = Counter.builder("clara.embedding.discarded")
			.description("vectors not written because the text changed meanwhile")
			.tag("model", model)
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
		List<float[]> vectors;
		Map<UUID, Long> tokens = new LinkedHashMap<>();
		if (this.provider.billed()) {
			vectors = embedPerWorkspace(batch, tokens);
		}
		else {
			vectors = this.provider.embedAll(batch.stream().map(PairEmbeddings.Pending::question).toList());
		}
		this.providerLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		int written = this.pairs.write(batch, vectors, this.provider.modelId(), tokens);
		this.embedded.increment(written);
		this.discarded.increment(batch.size() - written);
		this.batch.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		return written;
	}

	/** One call per workspace; the vectors come back in the batch's order, the tokens per workspace. */
	private List<float[]> embedPerWorkspace(List<PairEmbeddings.Pending> batch, Map<UUID, Long> tokens) {
		Map<UUID, List<Integer>> positions = new LinkedHashMap<>();
		for (int i = 0; i < batch.size(); i++) {
			positions.computeIfAbsent(batch.get(i).workspaceId(), workspace -> new ArrayList<>()).add(i);
		}
		float[][] vectors = new float[batch.size()][];
		positions.forEach((workspace, indexes) -> {
			EmbeddingProvider.Embedded embedded = this.provider
				.embedAllCounted(indexes.stream().map(i -> batch.get(i).question()).toList());
			for (int i = 0; i < indexes.size(); i++) {
				vectors[indexes.get(i)] = embedded.vectors().get(i);
			}
			tokens.merge(workspace, embedded.tokens(), Long::sum);
		});
		return List.of(vectors);
	}

}
