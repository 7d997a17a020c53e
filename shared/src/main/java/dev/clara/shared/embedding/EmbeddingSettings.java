package dev.clara.shared.embedding;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Which embedding provider a service uses, as plain values any configuration binder can fill
 * (the services bind {@code CLARA_EMBEDDING_*}, {@code OPENAI_API_KEY} and {@code OPENAI_BASE_URL}).
 * A null, blank or non-positive value means its default, so a service passes only what it has.
 *
 * @param provider {@value #LOCAL} (default) or {@value #OPENAI}
 * @param model a row of {@code embedding_models}; defaults to {@link #DEFAULT_LOCAL_MODEL} for
 * {@code local} and {@code text-embedding-3-small} for {@code openai}
 * @param openAiApiKey the key for {@code openai}; never printed
 * @param openAiBaseUrl defaults to {@code https://api.openai.com/v1}
 * @param timeout one remote attempt's time-out, default 10 s
 * @param maxAttempts remote attempts per batch including the first, default 5
 * @param maxBatchSize inputs per remote request, default 256
 * @param local how the in-process model uses the CPU, default {@link LocalRuntime#defaults()}
 */
public record EmbeddingSettings(String provider, String model, String openAiApiKey, String openAiBaseUrl,
		Duration timeout, int maxAttempts, int maxBatchSize, LocalRuntime local) {

	public static final String LOCAL = "local";

	public static final String OPENAI = "openai";

	/**
	 * The deployment's default model, the one place it is named: bge-small-en-v1.5, measured best on
	 * CLINC150 (docs/quality.md). A service left without {@code CLARA_EMBEDDING_MODEL} uses it.
	 */
	public static final String DEFAULT_LOCAL_MODEL = LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q;

	public EmbeddingSettings {
		provider = isBlank(provider) ? LOCAL : provider.strip().toLowerCase(Locale.ROOT);
		if (!LOCAL.equals(provider) && !OPENAI.equals(provider)) {
			throw new IllegalArgumentException(
					"Unknown embedding provider '" + provider + "'; use '" + LOCAL + "' or '" + OPENAI + "'");
		}
		model = modelOrDefault(provider, model);
		openAiApiKey = isBlank(openAiApiKey) ? null : openAiApiKey.strip();
		openAiBaseUrl = isBlank(openAiBaseUrl) ? OpenAiEmbeddingProvider.DEFAULT_BASE_URL : openAiBaseUrl.strip();
		timeout = (timeout == null || timeout.isZero() || timeout.isNegative()) ? OpenAiEmbeddingProvider.DEFAULT_TIMEOUT
				: timeout;
		maxAttempts = (maxAttempts <= 0) ? RetryPolicy.DEFAULT_MAX_ATTEMPTS : maxAttempts;
		maxBatchSize = (maxBatchSize <= 0) ? OpenAiEmbeddingProvider.DEFAULT_MAX_BATCH_SIZE : maxBatchSize;
		local = (local == null) ? LocalRuntime.defaults() : local;
	}

	/** With the in-process model's default runtime. */
	public EmbeddingSettings(String provider, String model, String openAiApiKey, String openAiBaseUrl,
			Duration timeout, int maxAttempts, int maxBatchSize) {
		this(provider, model, openAiApiKey, openAiBaseUrl, timeout, maxAttempts, maxBatchSize, null);
	}

	/**
	 * {@code model}, or the default model of {@code provider} when it is blank. Touches no provider
	 * class, so a service without the embedding runtimes (the CDC relay) can ask it too.
	 */
	public static String modelOrDefault(String provider, String model) {
		if (!isBlank(model)) {
			return model.strip();
		}
		return OPENAI.equalsIgnoreCase(isBlank(provider) ? LOCAL : provider.strip()) ? OpenAiEmbeddingProvider.DEFAULT_MODEL
				: DEFAULT_LOCAL_MODEL;
	}

	/** The local provider with its default model. */
	public static EmbeddingSettings defaults() {
		return local(null);
	}

	/** The local provider with the given model ({@code null} for the default). */
	public static EmbeddingSettings local(String model) {
		return local(model, null);
	}

	/** The local provider with the given model and runtime ({@code null} for the defaults). */
	public static EmbeddingSettings local(String model, LocalRuntime runtime) {
		return new EmbeddingSettings(LOCAL, model, null, null, null, 0, 0, runtime);
	}

	/** OpenAI's API with the given key and model ({@code null} for the default). */
	public static EmbeddingSettings openAi(String apiKey, String model) {
		return new EmbeddingSettings(OPENAI, model, apiKey, null, null, 0, 0);
	}

	/**
	 * The deployment's settings as every service reads them, from its configuration properties:
	 * {@code clara.embedding.provider} and {@code clara.embedding.model} ({@code CLARA_EMBEDDING_PROVIDER},
	 * {@code CLARA_EMBEDDING_MODEL}) and the deployment-wide OpenAI-compatible provider,
	 * {@code clara.openai.api-key} and {@code clara.openai.base-url} ({@code OPENAI_API_KEY},
	 * {@code OPENAI_BASE_URL}), and {@code clara.embedding.timeout}, {@code max-attempts},
	 * {@code max-batch-size}, and the in-process model's {@link LocalRuntime}:
	 * {@code clara.embedding.local.intra-op-threads}, {@code parallel-runs} (a number or {@code cores})
	 * and {@code cpu-arena}
	 * ({@code CLARA_EMBEDDING_LOCAL_INTRA_OP_THREADS}, ...; each service sets its own default in its
	 * {@code application.properties}). What is unset gets its default.
	 * @param property a property's value by name, null when unset (for example Spring's
	 * {@code Environment::getProperty})
	 */
	public static EmbeddingSettings from(Function<String, String> property) {
		return new EmbeddingSettings(property.apply("clara.embedding.provider"), property.apply("clara.embedding.model"),
				property.apply("clara.openai.api-key"), property.apply("clara.openai.base-url"),
				duration("clara.embedding.timeout", property.apply("clara.embedding.timeout")),
				number("clara.embedding.max-attempts", property.apply("clara.embedding.max-attempts")),
				number("clara.embedding.max-batch-size", property.apply("clara.embedding.max-batch-size")),
				new LocalRuntime(
						number("clara.embedding.local.intra-op-threads",
								property.apply("clara.embedding.local.intra-op-threads")),
						runs(property.apply("clara.embedding.local.parallel-runs")),
						Boolean.parseBoolean(property.apply("clara.embedding.local.cpu-arena"))));
	}

	/** {@code 10s}, {@code 500ms}, {@code 2m} or ISO-8601 ({@code PT10S}); blank = the default. */
	private static Duration duration(String name, String value) {
		if (isBlank(value)) {
			return null;
		}
		String text = value.strip();
		try {
			if (text.startsWith("P") || text.startsWith("p")) {
				return Duration.parse(text);
			}
			if (text.endsWith("ms")) {
				return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
			}
			long amount = Long.parseLong(text.substring(0, text.length() - 1));
			return switch (text.charAt(text.length() - 1)) {
				case 's' -> Duration.ofSeconds(amount);
				case 'm' -> Duration.ofMinutes(amount);
				case 'h' -> Duration.ofHours(amount);
				default -> throw new NumberFormatException(text);
			};
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(name + " must be a duration such as 10s or PT10S, not '" + text + "'");
		}
	}

	/** A number, or {@code cores}: as many as the JVM has processors. */
	private static int runs(String value) {
		if (!isBlank(value) && "cores".equalsIgnoreCase(value.strip())) {
			return Runtime.getRuntime().availableProcessors();
		}
		return number("clara.embedding.local.parallel-runs", value);
	}

	private static int number(String name, String value) {
		if (isBlank(value)) {
			return 0;
		}
		try {
			return Integer.parseInt(value.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a whole number, not '" + value.strip() + "'");
		}
	}

	public boolean hasApiKey() {
		return this.openAiApiKey != null;
	}

	/** Never prints the key, only whether one is set. */
	@Override
	public String toString() {
		return "EmbeddingSettings[provider=" + this.provider + ", model=" + this.model + ", openAiApiKey="
				+ (hasApiKey() ? "(set)" : "(none)") + ", openAiBaseUrl=" + this.openAiBaseUrl + ", timeout="
				+ this.timeout + ", maxAttempts=" + this.maxAttempts + ", maxBatchSize=" + this.maxBatchSize + ", local="
				+ this.local + "]";
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

}
