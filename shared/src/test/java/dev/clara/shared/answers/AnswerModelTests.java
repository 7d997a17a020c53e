package dev.clara.shared.answers;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.clara.shared.answers.AnswerModelTrainer.Example;
import dev.clara.shared.answers.AnswerModelTrainer.Settings;
import dev.clara.shared.embedding.Vectors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AnswerModelTests {

	static final int DIMENSIONS = 16;

	static final Settings SETTINGS = new Settings(1e-3, 200, 1e-5, 1.0);

	/** A unit vector near axis {@code axis}, with noise of the given size. */
	static float[] near(int axis, double noise, Random random) {
		float[] v = new float[DIMENSIONS];
		for (int d = 0; d < DIMENSIONS; d++) {
			v[d] = (float) (noise * random.nextGaussian());
		}
		v[axis] += 1;
		return Vectors.normalize(v);
	}

	/** Three well separated groups, 20 phrasings each. */
	static List<Example> clusters(Random random) {
		List<Example> examples = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			examples.add(new Example(near(0, 0.1, random), "hours"));
			examples.add(new Example(near(1, 0.1, random), "shipping"));
			examples.add(new Example(near(2, 0.1, random), "refunds"));
		}
		return examples;
	}

	@Test
	void separatesSeparableClustersWithProbabilitiesSummingToOne() {
		Random random = new Random(1);
		AnswerModel model = new AnswerModelTrainer(SETTINGS).train("m", clusters(random), List.of()).model();

		assertThat(model.groupIds()).containsExactly("hours", "refunds", "shipping");
		int[] axes = { 0, 1, 2 };
		String[] expected = { "hours", "shipping", "refunds" };
		for (int q = 0; q < 30; q++) {
			int which = q % 3;
			Prediction p = model.predict(near(axes[which], 0.1, random));
			assertThat(p.bestGroupId()).isEqualTo(expected[which]);
			assertThat(p.bestProbability()).isGreaterThan(0.8);
			assertThat(sum(p.probabilities()) + p.outOfScopeProbability()).isCloseTo(1.0, within(1e-9));
			assertThat(p.margin()).isEqualTo(p.bestProbability() - p.secondProbability());
		}
	}

	@Test
	void outOfScopeExamplesTakeProbabilityFromQuestionsLikeThem() {
		Random random = new Random(2);
		List<Example> examples = clusters(random);
		List<float[]> outOfScope = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			outOfScope.add(near(5, 0.1, random));
		}
		AnswerModelTrainer trainer = new AnswerModelTrainer(SETTINGS);
		AnswerModel without = trainer.train("m", examples, List.of()).model();
		AnswerModel with = trainer.train("m", examples, outOfScope).model();
		float[] unanswerable = near(5, 0.1, random);
		float[] answerable = near(1, 0.1, random);

		assertThat(with.hasOutOfScopeClass()).isTrue();
		Prediction p = with.predict(unanswerable);
		assertThat(p.outOfScopeProbability()).isGreaterThan(0.8);
		assertThat(sum(p.probabilities()) + p.outOfScopeProbability()).isCloseTo(1.0, within(1e-9));
		assertThat(p.bestProbability()).isLessThan(without.predict(unanswerable).bestProbability());
		assertThat(with.predict(answerable).bestGroupId()).isEqualTo("shipping");
		assertThat(with.predict(answerable).bestProbability()).isGreaterThan(0.8);
	}

	@Test
	void theStoredFormRoundTripsToTheSamePredictions() {
		Random random = new Random(3);
		List<float[]> outOfScope = List.of(near(7, 0.1, random), near(8, 0.1, random));
		AnswerModel model = new AnswerModelTrainer(SETTINGS).train("bge-small-en-v1.5-q", clusters(random), outOfScope).model();

		byte[] stored = model.toBytes();
		AnswerModel read = AnswerModel.fromBytes(stored);

		assertThat(stored).hasSize(4 + 4 + 2 + 19 + 4 + 4 + 3 * 2 + "hours".length() + "refunds".length()
				+ "shipping".length() + 1 + 4 * (DIMENSIONS + 1) * 4);
		assertThat(read.embeddingModelId()).isEqualTo("bge-small-en-v1.5-q");
		assertThat(read.groupIds()).isEqualTo(model.groupIds());
		assertThat(read.hasOutOfScopeClass()).isTrue();
		float[] question = near(1, 0.3, random);
		assertThat(read.predict(question).probabilities()).isEqualTo(model.predict(question).probabilities());
		assertThat(read.toBytes()).isEqualTo(stored);
	}

	@Test
	void storedFormsOfSomethingElseAreRejected() {
		assertThatThrownBy(() -> AnswerModel.fromBytes(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }))
			.isInstanceOf(IllegalArgumentException.class);
		byte[] stored = new AnswerModelTrainer(SETTINGS).train("m", clusters(new Random(4)), List.of()).model().toBytes();
		assertThatThrownBy(() -> AnswerModel.fromBytes(java.util.Arrays.copyOf(stored, stored.length - 1)))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void theSameExamplesGiveTheSameModelWhateverTheirOrder() {
		List<Example> examples = clusters(new Random(5));
		List<Example> reversed = new ArrayList<>(examples);
		java.util.Collections.reverse(reversed);
		AnswerModelTrainer trainer = new AnswerModelTrainer(SETTINGS);

		byte[] first = trainer.train("m", examples, List.of()).model().toBytes();
		byte[] again = trainer.train("m", examples, List.of()).model().toBytes();
		AnswerModel otherOrder = trainer.train("m", reversed, List.of()).model();

		assertThat(again).isEqualTo(first);
		float[] question = near(2, 0.2, new Random(6));
		assertThat(otherOrder.predict(question).bestProbability())
			.isCloseTo(AnswerModel.fromBytes(first).predict(question).bestProbability(), within(1e-4));
	}

	@Test
	void theModelIsTheSameByteForByteWhateverTheNumberOfThreads() {
		// enough examples for several blocks, so the threads really share the work
		Random random = new Random(11);
		List<Example> examples = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			examples.addAll(clusters(random));
		}
		List<float[]> outOfScope = List.of(near(5, 0.1, random), near(6, 0.1, random));

		byte[] one = new AnswerModelTrainer(SETTINGS.withThreads(1)).train("m", examples, outOfScope).model().toBytes();

		for (int threads = 2; threads <= 3; threads++) {
			assertThat(new AnswerModelTrainer(SETTINGS.withThreads(threads)).train("m", examples, outOfScope).model().toBytes())
				.isEqualTo(one);
		}
	}

	@Test
	void strongerRegularisationMakesTheModelLessSure() {
		List<Example> examples = clusters(new Random(7));
		float[] question = near(0, 0.1, new Random(8));

		double loose = new AnswerModelTrainer(new Settings(1e-4, 200, 1e-6, 1)).train("m", examples, List.of())
			.model().predict(question).bestProbability();
		double tight = new AnswerModelTrainer(new Settings(1e-1, 200, 1e-6, 1)).train("m", examples, List.of())
			.model().predict(question).bestProbability();

		assertThat(tight).isLessThan(loose);
	}

	@Test
	void aWarmStartFromTheEarlierModelReachesTheSameModelInFewerIterations() {
		Random random = new Random(10);
		List<Example> examples = clusters(random);
		AnswerModelTrainer trainer = new AnswerModelTrainer(new Settings(1e-3, 500, 1e-6, 1));
		AnswerModelTrainer.Trained earlier = trainer.train("m", examples, List.of());
		List<Example> more = new ArrayList<>(examples);
		for (int i = 0; i < 5; i++) {
			more.add(new Example(near(3, 0.1, random), "returns"));
		}

		AnswerModelTrainer.Trained cold = trainer.train("m", more, List.of());
		AnswerModelTrainer.Trained warm = trainer.train("m", more, List.of(), earlier.model());

		assertThat(warm.iterations()).isLessThan(cold.iterations());
		assertThat(warm.loss()).isCloseTo(cold.loss(), within(1e-4));
		float[] question = near(3, 0.1, random);
		assertThat(warm.model().predict(question).bestGroupId()).isEqualTo("returns");
		assertThat(warm.model().predict(question).bestProbability())
			.isCloseTo(cold.model().predict(question).bestProbability(), within(1e-2));
	}

	@Test
	void aQuestionOfAnotherDimensionIsRefused() {
		AnswerModel model = new AnswerModelTrainer(SETTINGS).train("m", clusters(new Random(9)), List.of()).model();

		assertThatThrownBy(() -> model.predict(new float[DIMENSIONS + 1])).isInstanceOf(IllegalArgumentException.class);
	}

	static double sum(double[] values) {
		double s = 0;
		for (double v : values) {
			s += v;
		}
		return s;
	}

}
