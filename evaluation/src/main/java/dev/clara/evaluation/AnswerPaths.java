package dev.clara.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import dev.clara.evaluation.AnswerModelExperiment.Asked;
import dev.clara.evaluation.ValidationSplit.Half;
import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.AnswerModelTrainer;
import dev.clara.shared.answers.AnswerModelTrainer.Example;
import dev.clara.shared.answers.AnswerModelTrainer.Settings;
import dev.clara.shared.answers.Prediction;

/**
 * The ways the product can pick an answer and how sure it is, for the calibration experiment:
 * (M) the answer model's best group and its probability, (N) the nearest pair's group and its
 * cosine, (V) a vote of the {@value #VOTERS} nearest pairs (most votes; a tie goes to the larger
 * summed cosine) scored by the winner's summed cosine / {@value #VOTERS}.
 */
final class AnswerPaths {

	static final int VOTERS = 5;

	/** Probabilities are clamped to [ε, 1 − ε] before the logit, so that 1.0f stays finite. */
	static final double EPSILON = 1e-7;

	/** A path and the score Platt scaling is fitted on. */
	enum Kind {

		MODEL("M", "model probability", p -> Platt.logit(Math.min(1 - EPSILON, Math.max(EPSILON, p)))),

		NEAREST("N", "nearest-neighbour cosine", DoubleUnaryOperator.identity()),

		VOTE("V", "top-5 vote", DoubleUnaryOperator.identity());

		final String letter;

		final String label;

		/** The score Platt scaling sees: logit(p) for the model, the raw score otherwise. */
		final DoubleUnaryOperator feature;

		Kind(String letter, String label, DoubleUnaryOperator feature) {
			this.letter = letter;
			this.label = label;
			this.feature = feature;
		}

	}

	/**
	 * One question as one path saw it.
	 * @param group the group it would answer
	 * @param right whether that is the question's gold group (never for out-of-scope questions)
	 * @param score the path's raw confidence: probability, cosine or vote score
	 * @param neighbour the nearest pair's index (N and V), -1 for the model
	 */
	record Judged(Asked asked, String group, boolean right, double score, int neighbour) {

		boolean outOfScope() {
			return this.asked.outOfScope();
		}

	}

	/** The tuning set of the calibration: tune half (1,500 + 50 oos_val) and the 100 oos_train. */
	static final Predicate<Judged> TUNE_150 = j -> j.asked().half() == Half.TUNE;

	/** The tune half only (when oos_train is training data): 1,500 + 50 oos_val. */
	static final Predicate<Judged> TUNE_50 = j -> j.asked().half() == Half.TUNE && !j.asked().extraOutOfScope();

	/** The report half: 1,500 + 50 oos_val, figures only. */
	static final Predicate<Judged> REPORT = j -> j.asked().half() == Half.REPORT;

	/** The {@code k} nearest pairs of each question, best first: indices into the pairs and cosines. */
	record Neighbours(int[][] index, float[][] similarity) {
	}

	private AnswerPaths() {
	}

	static Neighbours search(List<Example> pairs, List<Asked> asked, int k) {
		int[][] index = new int[asked.size()][];
		float[][] similarity = new float[asked.size()][];
		IntStream.range(0, asked.size()).parallel().forEach(q -> {
			int[] top = new int[k];
			float[] best = new float[k];
			java.util.Arrays.fill(top, -1);
			java.util.Arrays.fill(best, Float.NEGATIVE_INFINITY);
			float[] v = asked.get(q).vector();
			for (int i = 0; i < pairs.size(); i++) {
				float s = AnswerModelExperiment.dot(v, pairs.get(i).vector());
				if (s > best[k - 1]) {
					int at = k - 1;
					while (at > 0 && s > best[at - 1]) {
						best[at] = best[at - 1];
						top[at] = top[at - 1];
						at--;
					}
					best[at] = s;
					top[at] = i;
				}
			}
			index[q] = top;
			similarity[q] = best;
		});
		return new Neighbours(index, similarity);
	}

	static List<Judged> nearest(List<Example> pairs, List<Asked> asked, Neighbours neighbours) {
		List<Judged> judged = new ArrayList<>(asked.size());
		for (int q = 0; q < asked.size(); q++) {
			int top = neighbours.index()[q][0];
			judged.add(judged(asked.get(q), pairs.get(top).groupId(), neighbours.similarity()[q][0], top));
		}
		return judged;
	}

	static List<Judged> vote(List<Example> pairs, List<Asked> asked, Neighbours neighbours) {
		List<Judged> judged = new ArrayList<>(asked.size());
		for (int q = 0; q < asked.size(); q++) {
			Map<String, double[]> votes = new LinkedHashMap<>();
			int voters = Math.min(VOTERS, neighbours.index()[q].length);
			for (int r = 0; r < voters && neighbours.index()[q][r] >= 0; r++) {
				double[] tally = votes.computeIfAbsent(pairs.get(neighbours.index()[q][r]).groupId(), g -> new double[2]);
				tally[0]++;
				tally[1] += neighbours.similarity()[q][r];
			}
			String winner = null;
			double[] best = null;
			for (Map.Entry<String, double[]> e : votes.entrySet()) {
				double[] t = e.getValue();
				if (best == null || t[0] > best[0] || (t[0] == best[0] && t[1] > best[1])) {
					winner = e.getKey();
					best = t;
				}
			}
			judged.add(judged(asked.get(q), winner, best[1] / VOTERS, neighbours.index()[q][0]));
		}
		return judged;
	}

	static List<Judged> model(AnswerModel model, List<Asked> asked) {
		List<Judged> judged = new ArrayList<>(asked.size());
		for (Asked q : asked) {
			Prediction p = model.predict(q.vector());
			judged.add(judged(q, p.bestGroupId(), p.bestProbability(), -1));
		}
		return judged;
	}

	private static Judged judged(Asked q, String group, double score, int neighbour) {
		return new Judged(q, group, !q.outOfScope() && group.equals(q.goldGroup()), score, neighbour);
	}

	/**
	 * The model of {@code examples} (+ out-of-scope class when {@code outOfScope} is not empty) at
	 * {@code l2}, read from the state folder's {@code models/} when a run trained it before under
	 * the same {@code key} (which must name everything the examples depend on).
	 */
	static AnswerModel train(Path stateDir, String embeddingModel, String key, List<Example> examples,
			List<float[]> outOfScope, double l2, Consumer<String> say) throws IOException {
		Path file = stateDir.resolve("models").resolve(embeddingModel + "-" + key + "-l2-" + l2 + ".bin");
		if (Files.exists(file)) {
			return AnswerModel.fromBytes(Files.readAllBytes(file));
		}
		AnswerModelTrainer.Trained trained = new AnswerModelTrainer(new Settings(l2, 300, 1e-5, 1.0))
			.train(embeddingModel, examples, outOfScope);
		say.accept(String.format("trained %s (%d examples + %d out of scope, l2 %.0e): %d iterations, %.1f s, converged %s",
				key, examples.size(), outOfScope.size(), l2, trained.iterations(), trained.took().toMillis() / 1000.0,
				trained.converged()));
		Files.createDirectories(file.getParent());
		Files.write(file, trained.model().toBytes());
		return trained.model();
	}

}
