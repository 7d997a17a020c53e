package dev.clara.shared.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/** The real in-process models (they ship in the LangChain4j jars; no network). */
class LocalEmbeddingProviderTests {

	private static final String PRICE_1 = "How much does it cost?";

	private static final String PRICE_2 = "What is the price?";

	private static final String UNRELATED = "Do you have a mobile app?";

	@ParameterizedTest
	@ValueSource(strings = { LocalEmbeddingProvider.ALL_MINILM_L6_V2_Q, LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q })
	void paraphrasesScoreHigherThanUnrelatedQuestions(String model) {
		LocalEmbeddingProvider provider = new LocalEmbeddingProvider(model);
		List<float[]> vectors = provider.embedAll(List.of(PRICE_1, PRICE_2, UNRELATED));

		double paraphrase = Vectors.dot(vectors.get(0), vectors.get(1));
		double unrelated1 = Vectors.dot(vectors.get(0), vectors.get(2));
		double unrelated2 = Vectors.dot(vectors.get(1), vectors.get(2));
		assertThat(paraphrase).as("%s: paraphrase %.3f vs unrelated %.3f/%.3f", model, paraphrase, unrelated1,
				unrelated2)
			.isGreaterThan(unrelated1 + 0.1)
			.isGreaterThan(unrelated2 + 0.1);
	}

	@ParameterizedTest
	@ValueSource(strings = { LocalEmbeddingProvider.ALL_MINILM_L6_V2_Q, LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q })
	void vectorsAreUnitLengthWithTheModelsDimensions(String model) {
		LocalEmbeddingProvider provider = new LocalEmbeddingProvider(model);
		assertThat(provider.modelId()).isEqualTo(model);
		assertThat(provider.dimensions()).isEqualTo(384);
		for (float[] vector : provider.embedAll(List.of(PRICE_1, "x", "a much longer sentence ".repeat(300)))) {
			assertThat(vector).hasSize(384);
			assertThat(Vectors.norm(vector)).isCloseTo(1.0, within(1e-5));
		}
	}

	@Test
	void batchOrderIsPreserved() {
		LocalEmbeddingProvider provider = new LocalEmbeddingProvider(LocalEmbeddingProvider.ALL_MINILM_L6_V2_Q);
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			texts.add((i % 2 == 0) ? "Question number " + i + " about opening hours" : "Refund policy " + i);
		}
		List<float[]> batch = provider.embedAll(texts);
		assertThat(batch).hasSize(texts.size());
		for (int i = 0; i < texts.size(); i++) {
			assertThat(Vectors.dot(batch.get(i), provider.embed(texts.get(i)))).as("text %d", i)
				.isCloseTo(1.0, within(1e-4));
		}
	}

	@Test
	void concurrentCallersGetTheSameVectors() throws Exception {
		LocalEmbeddingProvider provider = new LocalEmbeddingProvider(LocalEmbeddingProvider.ALL_MINILM_L6_V2_Q);
		float[] expected = provider.embed(PRICE_1);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Callable<List<float[]>>> calls = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				calls.add(() -> provider.embedAll(List.of(UNRELATED, PRICE_1)));
			}
			for (Future<List<float[]>> result : pool.invokeAll(calls)) {
				assertThat(Vectors.dot(result.get().get(1), expected)).isCloseTo(1.0, within(1e-4));
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void blankOrNullTextIsRejected() {
		LocalEmbeddingProvider provider = new LocalEmbeddingProvider(LocalEmbeddingProvider.ALL_MINILM_L6_V2_Q);
		assertThatIllegalArgumentException().isThrownBy(() -> provider.embed("   ")).withMessageContaining("blank");
		List<String> withNull = new ArrayList<>(List.of("fine"));
		withNull.add(null);
		assertThatIllegalArgumentException().isThrownBy(() -> provider.embedAll(withNull))
			.withMessageContaining("text 1");
		assertThat(provider.embedAll(List.of())).isEmpty();
	}

	@Test
	void theModelIsLoadedOncePerProcessAndSharedByEveryProvider() {
		LocalRuntime runtime = new LocalRuntime(1, 2, false);
		new LocalEmbeddingProvider(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q, runtime).embed(PRICE_1);
		int loaded = LocalModel.loadedCount();
		// another number of parallel runs shares the session: it is not a setting of the session
		LocalEmbeddingProvider again = new LocalEmbeddingProvider(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q,
				new LocalRuntime(1, 3, false));
		again.embed(PRICE_2);
		assertThat(LocalModel.loadedCount()).isEqualTo(loaded);
		assertThat(LocalModel.of(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q, false, runtime))
			.isSameAs(LocalModel.of(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q, false, runtime));
	}

	@Test
	void theFactoryPassesTheServicesRuntime() {
		LocalRuntime runtime = new LocalRuntime(1, 2, false);
		EmbeddingProvider provider = EmbeddingProviders
			.create(EmbeddingSettings.local(LocalEmbeddingProvider.ALL_MINILM_L6_V2_Q, runtime));
		assertThat(((LocalEmbeddingProvider) provider).runtime()).isEqualTo(runtime);
		assertThat(provider.embedAll(List.of(PRICE_1, PRICE_2, UNRELATED))).hasSize(3);
	}

	@Test
	void aTextWithoutWordPiecesFailsAsTheModelsFailure() {
		LocalEmbeddingProvider provider = new LocalEmbeddingProvider(LocalEmbeddingProvider.ALL_MINILM_L6_V2_Q,
				new LocalRuntime(1, 2, false));
		// a zero-width space is not blank to Java, but the tokenizer drops it: nothing is left to embed
		assertThatExceptionOfType(EmbeddingException.class).isThrownBy(() -> provider.embedAll(List.of(PRICE_1, "\u200b")))
			.withMessageContaining("no word pieces")
			.satisfies(ex -> assertThat(ex.retryable()).isFalse());
	}

	@Test
	void unknownModelIsRejectedWithTheKnownOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LocalEmbeddingProvider("gte-small"))
			.withMessageContaining("gte-small")
			.withMessageContaining("bge-small-en-v1.5-q");
	}

	@Test
	void factoryMakesTheLocalProvider() {
		EmbeddingProvider provider = EmbeddingProviders.create(EmbeddingSettings.local("bge-small-en-v1.5-q"));
		assertThat(provider).isInstanceOf(LocalEmbeddingProvider.class);
		assertThat(provider.modelId()).isEqualTo("bge-small-en-v1.5-q");
	}

}
