package dev.clara.shared.embedding;

/**
 * Makes the {@link EmbeddingProvider} that {@link EmbeddingSettings} describe. Both providers are
 * {@link AutoCloseable}; a service closes the one it made when it stops (Spring does this for a
 * bean by itself).
 */
public final class EmbeddingProviders {

	private EmbeddingProviders() {
	}

	/**
	 * @throws IllegalArgumentException for an unknown local model, a local model id given to the
	 * OpenAI provider (a likely left-over default), or {@code openai} without a key
	 */
	public static EmbeddingProvider create(EmbeddingSettings settings) {
		if (EmbeddingSettings.LOCAL.equals(settings.provider())) {
			return new LocalEmbeddingProvider(settings.model(), settings.local());
		}
		if (LocalEmbeddingProvider.modelIds().contains(settings.model())) {
			throw new IllegalArgumentException("Embedding model '" + settings.model()
					+ "' is a local model; with provider 'openai' use an OpenAI model such as "
					+ OpenAiEmbeddingProvider.DEFAULT_MODEL);
		}
		if (!settings.hasApiKey()) {
			throw new IllegalArgumentException("Embedding provider 'openai' needs an API key (OPENAI_API_KEY)");
		}
		return OpenAiEmbeddingProvider.builder()
			.apiKey(settings.openAiApiKey())
			.baseUrl(settings.openAiBaseUrl())
			.model(settings.model())
			.timeout(settings.timeout())
			.maxBatchSize(settings.maxBatchSize())
			.retryPolicy(RetryPolicy.of(settings.maxAttempts()))
			.build();
	}

}
