package dev.clara.shared.embedding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vectors must not move: every stored vector was made by these models, and a changed vector
 * would no longer match them. {@code embedding/reference-vectors.json} holds 25 texts (short and
 * long questions, accents, CJK, emoji, markup, a 150-letter word, texts of exactly 510 and 511
 * word pieces, and texts of two and three 510-piece windows) with the vectors the provider made
 * before it batched (LangChain4j's model classes, one text per model run, at the commit before
 * this test). Each is compared by cosine, alone, in one batch of all the mixed lengths, and in
 * shuffled batches, under the default runtime and a parallel one.
 */
class LocalEmbeddingReferenceTests {

	private static final double MIN_COSINE = 0.9999;

	private static List<String> texts;

	private static JsonNode vectors;

	@BeforeAll
	static void readReference() throws IOException {
		try (InputStream in = LocalEmbeddingReferenceTests.class.getResourceAsStream("/embedding/reference-vectors.json")) {
			JsonNode reference = JsonMapper.builder().build().readTree(in);
			texts = new ArrayList<>();
			reference.get("texts").forEach(text -> texts.add(text.asString()));
			vectors = reference.get("vectors");
		}
	}

	static List<Arguments> runtimes() {
		List<Arguments> arguments = new ArrayList<>();
		for (String model : List.of(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q, LocalEmbeddingProvider.ALL_MINILM_L6_V2_Q)) {
			arguments.add(Arguments.of(model, LocalRuntime.defaults()));
			arguments.add(Arguments.of(model, new LocalRuntime(2, 2, true)));
		}
		return arguments;
	}

	@ParameterizedTest
	@MethodSource("runtimes")
	void oneBatchOfMixedLengthsGivesTheReferenceVectors(String model, LocalRuntime runtime) {
		LocalEmbeddingProvider provider = new LocalEmbeddingProvider(model, runtime);
		List<float[]> batch = provider.embedAll(texts);
		for (int i = 0; i < texts.size(); i++) {
			assertReference(model, i, batch.get(i));
		}
	}

	@ParameterizedTest
	@MethodSource("runtimes")
	void eachTextAloneGivesItsReferenceVector(String model, LocalRuntime runtime) {
		LocalEmbeddingProvider provider = new LocalEmbeddingProvider(model, runtime);
		for (int i = 0; i < texts.size(); i++) {
			assertReference(model, i, provider.embed(texts.get(i)));
		}
	}

	@ParameterizedTest
	@MethodSource("runtimes")
	void shuffledBatchesKeepTheCallersOrder(String model, LocalRuntime runtime) {
		LocalEmbeddingProvider provider = new LocalEmbeddingProvider(model, runtime);
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < texts.size(); i++) {
			order.add(i);
		}
		Collections.shuffle(order, new Random(7));
		for (int from = 0; from < order.size(); from += 6) {
			List<Integer> indexes = order.subList(from, Math.min(order.size(), from + 6));
			List<float[]> batch = provider.embedAll(indexes.stream().map(texts::get).toList());
			for (int i = 0; i < indexes.size(); i++) {
				assertReference(model, indexes.get(i), batch.get(i));
			}
		}
	}

	private static void assertReference(String model, int text, float[] actual) {
		float[] expected = decode(vectors.get(model).get(text).asString());
		assertThat(actual).hasSize(expected.length);
		assertThat(Vectors.dot(actual, expected)).as("%s, text %d: %.60s", model, text, texts.get(text))
			.isGreaterThanOrEqualTo(MIN_COSINE);
	}

	private static float[] decode(String base64) {
		ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
		float[] vector = new float[bytes.remaining() / Float.BYTES];
		bytes.asFloatBuffer().get(vector);
		return vector;
	}

}
