package dev.clara.shared.embedding;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.Headers;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIRetryableException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;

/**
 * Embeddings from OpenAI, or any server that speaks its {@code /embeddings} API, through
 * {@code openai-java}.
 *
 * <p>A caller's list goes out in one request (split above {@link Builder#maxBatchSize}). Failures
 * are retried here and only here (the client's own retries are switched off so that attempts,
 * waits and time-outs are one policy): HTTP 429, 408, 5xx, time-outs and I/O errors are retried
 * per {@link RetryPolicy}, honouring {@code Retry-After}; any other 4xx fails at once with a
 * non-retryable {@link EmbeddingException} carrying the status and a short, redacted reason.
 *
 * <p>Thread-safe. Close it to release the HTTP client's connection pool.
 */
public final class OpenAiEmbeddingProvider implements EmbeddingProvider, AutoCloseable {

	public static final String DEFAULT_MODEL = "text-embedding-3-small";

	public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

	public static final int DEFAULT_MAX_BATCH_SIZE = 256;

	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/** Native dimensions of OpenAI's embedding models; any other model needs {@link Builder#dimensions}. */
	static final Map<String, Integer> KNOWN_DIMENSIONS = Map.of("text-embedding-3-small", 1536,
			"text-embedding-3-large", 3072, "text-embedding-ada-002", 1536);

	private static final int MAX_REASON_LENGTH = 300;

	private final OpenAIClient client;

	private final String apiKey;

	private final String model;

	private final int dimensions;

	private final boolean sendDimensions;

	private final int maxBatchSize;

	private final RetryPolicy retryPolicy;

	private final Clock clock;

	private OpenAiEmbeddingProvider(Builder builder) {
		this.apiKey = builder.apiKey;
		this.model = builder.model;
		Integer nativeDimensions = KNOWN_DIMENSIONS.get(builder.model);
		if (builder.dimensions == null && nativeDimensions == null) {
			throw new IllegalArgumentException(
					"dimensions of embedding model '" + builder.model + "' are unknown; set them explicitly");
		}
		this.dimensions = (builder.dimensions != null) ? builder.dimensions : nativeDimensions;
		// ada-002 rejects the parameter, so send it only when it asks for something other than native
		this.sendDimensions = !Integer.valueOf(this.dimensions).equals(nativeDimensions);
		this.maxBatchSize = builder.maxBatchSize;
		this.retryPolicy = builder.retryPolicy;
		this.clock = builder.clock;
		this.client = OpenAIOkHttpClient.builder()
			.apiKey(builder.apiKey)
			.baseUrl(builder.baseUrl)
			.timeout(builder.timeout)
			.maxRetries(0)
			.build();
	}

	public static Builder builder() {
		return new Builder();
	}

	@Override
	public String modelId() {
		return this.model;
	}

	@Override
	public int dimensions() {
		return this.dimensions;
	}

	/**
	 * @throws IllegalArgumentException when a text is null or blank
	 * @throws EmbeddingException when the provider refuses the request or keeps failing
	 */
	@Override
	public List<float[]> embedAll(List<String> texts) {
		return embedAllCounted(texts).vectors();
	}

	@Override
	public boolean billed() {
		return true;
	}

	/** The tokens are the sum of the {@code usage.total_tokens} the server reported for each request. */
	@Override
	public Embedded embedAllCounted(List<String> texts) {
		TextChecks.requireEmbeddable(texts);
		List<float[]> vectors = new ArrayList<>(texts.size());
		long tokens = 0;
		for (int from = 0; from < texts.size(); from += this.maxBatchSize) {
			List<String> batch = texts.subList(from, Math.min(texts.size(), from + this.maxBatchSize));
			Embedded embedded = embedWithRetries(batch);
			vectors.addAll(embedded.vectors());
			tokens += embedded.tokens();
		}
		return new Embedded(vectors, tokens);
	}

	private Embedded embedWithRetries(List<String> batch) {
		for (int attempt = 1;; attempt++) {
			Failure failure;
			try {
				return request(batch);
			}
			catch (OpenAIServiceException ex) {
				failure = Failure.of(ex, this);
				if (!failure.retryable()) {
					throw new EmbeddingException(failure.reason(), false, failure.status(), null);
				}
			}
			catch (OpenAIIoException | OpenAIRetryableException ex) {
				// time-outs surface here as I/O errors; the cause names the socket problem, never the key
				failure = new Failure(true, 0, redact(describe(ex)), Optional.empty(), ex);
			}
			catch (OpenAIException ex) {
				// e.g. a response body that is not an embeddings response: the same request gets the same
				throw new EmbeddingException("unexpected response: " + redact(describe(ex)), false, 0, null);
			}
			if (!this.retryPolicy.canRetry(attempt)) {
				throw new EmbeddingException("gave up after " + attempt + " attempts; last: " + failure.reason(), true,
						failure.status(), failure.cause());
			}
			Optional<Duration> delay = this.retryPolicy.delayAfter(attempt, failure.retryAfter(),
					ThreadLocalRandom.current());
			if (delay.isEmpty()) {
				throw new EmbeddingException("server asked to wait " + failure.retryAfter().get().toSeconds()
						+ " s, longer than this call may; last: " + failure.reason(), true, failure.status(), null);
			}
			sleep(delay.get());
		}
	}

	private Embedded request(List<String> batch) {
		EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder()
			.model(this.model)
			.inputOfArrayOfStrings(batch)
			// without it the client asks for base64 and decodes it itself; FLOAT keeps the wire format plain
			.encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT);
		if (this.sendDimensions) {
			params.dimensions(this.dimensions);
		}
		CreateEmbeddingResponse response = this.client.embeddings().create(params.build());
		List<Embedding> data = new ArrayList<>(response.data());
		if (data.size() != batch.size()) {
			throw new EmbeddingException(
					"provider returned " + data.size() + " embeddings for " + batch.size() + " inputs", false);
		}
		// the API tags each vector with its input's index; do not rely on the list's order
		data.sort(Comparator.comparingLong(Embedding::index));
		List<float[]> vectors = new ArrayList<>(data.size());
		for (Embedding embedding : data) {
			vectors.add(toUnitVector(embedding.embedding()));
		}
		return new Embedded(vectors, response.usage().totalTokens());
	}

	private float[] toUnitVector(List<Float> values) {
		if (values.size() != this.dimensions) {
			throw new EmbeddingException("provider returned " + values.size() + " dimensions, expected "
					+ this.dimensions, false);
		}
		float[] vector = new float[values.size()];
		for (int i = 0; i < vector.length; i++) {
			vector[i] = values.get(i);
		}
		return Vectors.normalize(vector);
	}

	private static void sleep(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EmbeddingException("interrupted while waiting to retry", true, ex);
		}
	}

	/** Removes the configured key (in case a server echoes it) and anything key-like. */
	private String redact(String text) {
		String withoutKey = (text == null) ? "" : text.replace(this.apiKey, "[redacted key]");
		String redacted = EmbeddingException.redact(withoutKey);
		return (redacted.length() > MAX_REASON_LENGTH) ? redacted.substring(0, MAX_REASON_LENGTH) + "…" : redacted;
	}

	private static String describe(Throwable ex) {
		String message = ex.getMessage();
		Throwable cause = ex.getCause();
		if (cause != null && cause.getMessage() != null && (message == null || !message.contains(cause.getMessage()))) {
			message = ((message == null) ? "" : message + ": ") + cause.getClass().getSimpleName() + ": "
					+ cause.getMessage();
		}
		return (message == null) ? ex.getClass().getSimpleName() : message;
	}

	@Override
	public void close() {
		this.client.close();
	}

	@Override
	public String toString() {
		return "OpenAiEmbeddingProvider[model=" + this.model + ", dimensions=" + this.dimensions + "]";
	}

	/**
	 * What one failed attempt tells the retry loop. {@code cause} is kept for I/O failures only:
	 * a service error's body may echo part of the key, so it is never chained.
	 */
	private record Failure(boolean retryable, int status, String reason, Optional<Duration> retryAfter,
			Throwable cause) {

		static Failure of(OpenAIServiceException ex, OpenAiEmbeddingProvider provider) {
			int status = ex.statusCode();
			boolean retryable = status == 408 || status == 429 || status >= 500;
			Headers headers = ex.headers();
			Optional<Duration> retryAfter = RetryAfter.parse(first(headers, "retry-after"),
					first(headers, "retry-after-ms"), provider.clock.instant());
			// the client's message starts with the status, which the exception states already
			String reason = describe(ex).replaceFirst("^" + status + ":\\s*", "");
			return new Failure(retryable, status, provider.redact(reason), retryAfter, null);
		}

		private static String first(Headers headers, String name) {
			List<String> values = headers.values(name);
			return values.isEmpty() ? null : values.get(0);
		}

	}

	/** Settings of an {@link OpenAiEmbeddingProvider}; only the API key is required. */
	public static final class Builder {

		private String apiKey;

		private String baseUrl = DEFAULT_BASE_URL;

		private String model = DEFAULT_MODEL;

		private Integer dimensions;

		private Duration timeout = DEFAULT_TIMEOUT;

		private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;

		private RetryPolicy retryPolicy = RetryPolicy.defaults();

		private Clock clock = Clock.systemUTC();

		private Builder() {
		}

		public Builder apiKey(String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		/** For example {@code https://api.openai.com/v1} or {@code http://127.0.0.1:8089/v1}. */
		public Builder baseUrl(String baseUrl) {
			this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
			return this;
		}

		public Builder model(String model) {
			this.model = Objects.requireNonNull(model, "model");
			return this;
		}

		/** Ask for shorter vectors (text-embedding-3 models) or declare an unknown model's size. */
		public Builder dimensions(int dimensions) {
			if (dimensions < 1) {
				throw new IllegalArgumentException("dimensions must be positive");
			}
			this.dimensions = dimensions;
			return this;
		}

		/** How long one HTTP attempt may take. */
		public Builder timeout(Duration timeout) {
			this.timeout = Objects.requireNonNull(timeout, "timeout");
			return this;
		}

		/** Inputs per request; larger lists are split (OpenAI accepts up to 2048). */
		public Builder maxBatchSize(int maxBatchSize) {
			if (maxBatchSize < 1) {
				throw new IllegalArgumentException("maxBatchSize must be positive");
			}
			this.maxBatchSize = maxBatchSize;
			return this;
		}

		public Builder retryPolicy(RetryPolicy retryPolicy) {
			this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
			return this;
		}

		/** The clock HTTP-date {@code Retry-After} values are measured against. */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		public OpenAiEmbeddingProvider build() {
			if (this.apiKey == null || this.apiKey.isBlank()) {
				throw new IllegalArgumentException("an API key is required for the OpenAI embedding provider");
			}
			return new OpenAiEmbeddingProvider(this);
		}

	}

}
