package dev.clara.shared.embedding;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EmbeddingSettingsTests {

	private static final String KEY = "sk-proj-SECRETSECRETSECRET1234";

	@Test
	void defaultsAreTheLocalBgeSmallModel() {
		EmbeddingSettings settings = EmbeddingSettings.defaults();
		assertThat(settings.provider()).isEqualTo("local");
		assertThat(settings.model()).isEqualTo("bge-small-en-v1.5-q");
		assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(settings.maxAttempts()).isEqualTo(5);
		assertThat(settings.maxBatchSize()).isEqualTo(256);
		assertThat(new EmbeddingSettings(null, " ", null, "", null, 0, -1)).isEqualTo(settings);
	}

	@Test
	void readFromTheServicesPropertiesWithTheOneOpenAiKey() {
		Map<String, String> properties = Map.of("clara.embedding.provider", "openai", "clara.openai.api-key", KEY,
				"clara.openai.base-url", "http://127.0.0.1:9/v1");
		EmbeddingSettings settings = EmbeddingSettings.from(properties::get);
		assertThat(settings.provider()).isEqualTo("openai");
		assertThat(settings.model()).isEqualTo("text-embedding-3-small");
		assertThat(settings.openAiApiKey()).isEqualTo(KEY);
		assertThat(settings.openAiBaseUrl()).isEqualTo("http://127.0.0.1:9/v1");
		assertThat(EmbeddingSettings.from(name -> null)).isEqualTo(EmbeddingSettings.defaults());
		EmbeddingSettings tuned = EmbeddingSettings.from(Map.of("clara.embedding.timeout", "500ms",
				"clara.embedding.max-attempts", "2", "clara.embedding.max-batch-size", "64")::get);
		assertThat(tuned.timeout()).isEqualTo(Duration.ofMillis(500));
		assertThat(tuned.maxAttempts()).isEqualTo(2);
		assertThat(tuned.maxBatchSize()).isEqualTo(64);
		assertThat(EmbeddingSettings.from(Map.of("clara.embedding.timeout", "PT3S")::get).timeout())
			.isEqualTo(Duration.ofSeconds(3));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EmbeddingSettings.from(Map.of("clara.embedding.timeout", "soon")::get))
			.withMessageContaining("clara.embedding.timeout");
	}

	@Test
	void theLocalRuntimeIsReadFromItsPropertiesWithOneThreadOneRunAndNoArenaByDefault() {
		assertThat(EmbeddingSettings.defaults().local()).isEqualTo(new LocalRuntime(1, 1, false));
		assertThat(EmbeddingSettings.from(Map.of("clara.embedding.local.intra-op-threads", "0",
				"clara.embedding.local.parallel-runs", " ")::get).local()).isEqualTo(LocalRuntime.defaults());
		EmbeddingSettings worker = EmbeddingSettings.from(Map.of("clara.embedding.local.intra-op-threads", "2",
				"clara.embedding.local.parallel-runs", "cores", "clara.embedding.local.cpu-arena", "true")::get);
		assertThat(worker.local()).isEqualTo(new LocalRuntime(2, Runtime.getRuntime().availableProcessors(), true));
		assertThat(EmbeddingSettings.from(Map.of("clara.embedding.local.parallel-runs", "3")::get).local().parallelRuns())
			.isEqualTo(3);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EmbeddingSettings.from(Map.of("clara.embedding.local.parallel-runs", "many")::get))
			.withMessageContaining("clara.embedding.local.parallel-runs");
		assertThat(EmbeddingSettings.local(null, new LocalRuntime(1, 4, false)).toString()).contains("parallelRuns=4");
	}

	@Test
	void openAiDefaultsToTextEmbedding3Small() {
		EmbeddingSettings settings = new EmbeddingSettings("OpenAI", null, KEY, null, Duration.ofSeconds(3), 2, 64);
		assertThat(settings.provider()).isEqualTo("openai");
		assertThat(settings.model()).isEqualTo("text-embedding-3-small");
		assertThat(settings.openAiBaseUrl()).isEqualTo("https://api.openai.com/v1");
		assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(settings.maxAttempts()).isEqualTo(2);
		assertThat(settings.maxBatchSize()).isEqualTo(64);
	}

	@Test
	void toStringNeverPrintsTheKey() {
		EmbeddingSettings settings = EmbeddingSettings.openAi(KEY, null);
		assertThat(settings.toString()).doesNotContain(KEY).doesNotContain("SECRET").contains("openAiApiKey=(set)");
		assertThat(EmbeddingSettings.defaults().toString()).contains("openAiApiKey=(none)");
	}

	@Test
	void unknownProviderIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new EmbeddingSettings("cohere", null, null, null, null, 0, 0))
			.withMessageContaining("cohere");
	}

	@Test
	void factoryRejectsMisconfigurationClearly() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EmbeddingProviders.create(EmbeddingSettings.local("no-such-model")))
			.withMessageContaining("no-such-model")
			.withMessageContaining("all-minilm-l6-v2-q");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EmbeddingProviders.create(EmbeddingSettings.openAi(KEY, "all-minilm-l6-v2-q")))
			.withMessageContaining("local model");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EmbeddingProviders.create(EmbeddingSettings.openAi(null, null)))
			.withMessageContaining("API key");
	}

	@Test
	void factoryMakesAnOpenAiProviderWithoutCallingIt() throws Exception {
		EmbeddingProvider provider = EmbeddingProviders.create(EmbeddingSettings.openAi(KEY, null));
		try {
			assertThat(provider).isInstanceOf(OpenAiEmbeddingProvider.class);
			assertThat(provider.modelId()).isEqualTo("text-embedding-3-small");
			assertThat(provider.dimensions()).isEqualTo(1536);
			assertThat(provider.toString()).doesNotContain(KEY);
		}
		finally {
			((AutoCloseable) provider).close();
		}
	}

	@Test
	void exceptionMessagesAreRedacted() {
		EmbeddingException ex = new EmbeddingException(
				"Incorrect API key provided: sk-proj-abc123****wxyz. Header was Bearer " + KEY, false, 401, null);
		assertThat(ex.getMessage()).doesNotContain("sk-proj").doesNotContain("SECRET").contains("HTTP 401");
		assertThat(ex.reason()).doesNotContain("abc123");
		assertThat(ex.retryable()).isFalse();
		assertThat(ex.statusCode()).hasValue(401);
		assertThat(new EmbeddingException("timed out", true).statusCode()).isEmpty();
	}

}
