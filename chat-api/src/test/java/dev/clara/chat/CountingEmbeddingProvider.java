package dev.clara.chat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.clara.shared.embedding.EmbeddingProvider;

/** The real in-process provider, counting the calls the service makes. */
public final class CountingEmbeddingProvider implements EmbeddingProvider {

	private final EmbeddingProvider delegate;

	private final AtomicInteger calls = new AtomicInteger();

	public CountingEmbeddingProvider(EmbeddingProvider delegate) {
		this.delegate = delegate;
	}

	public int calls() {
		return this.calls.get();
	}

	public void reset() {
		this.calls.set(0);
	}

	@Override
	public String modelId() {
		return this.delegate.modelId();
	}

	@Override
	public int dimensions() {
		return this.delegate.dimensions();
	}

	@Override
	public List<float[]> embedAll(List<String> texts) {
		this.calls.incrementAndGet();
		return this.delegate.embedAll(texts);
	}

	@Override
	public Embedded embedAllCounted(List<String> texts) {
		this.calls.incrementAndGet();
		return this.delegate.embedAllCounted(texts);
	}

}
