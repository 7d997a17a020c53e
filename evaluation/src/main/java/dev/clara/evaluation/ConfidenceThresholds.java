package dev.clara.evaluation;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import dev.clara.evaluation.AnswerPaths.Judged;
import dev.clara.evaluation.AnswerPaths.Kind;

/**
 * Gap thresholds on a calibrated confidence: a question is answered when its confidence is at
 * least {@code t}, a gap otherwise. Four ways to choose {@code t} on a tuning set, over the grid
 * 0, 0.001, …, 1 (of equal ones, the one with the better second figure, then the lowest).
 */
final class ConfidenceThresholds {

	/** Criterion (iv)'s cost of a confident wrong answer, in honest "I don't know"s; chosen up front. */
	static final double COST_OF_WRONG = 3;

	static final int GRID = 1000;

	/** One path's questions with their calibrated confidences. */
	record Calibrated(Kind kind, List<Judged> judged, Platt platt, double[] confidence) {

		/** Platt scaling fitted on the questions {@code tuning} admits, applied to all. */
		static Calibrated fit(Kind kind, List<Judged> judged, Predicate<Judged> tuning) {
			List<Judged> tune = judged.stream().filter(tuning).toList();
			double[] x = new double[tune.size()];
			boolean[] right = new boolean[tune.size()];
			for (int i = 0; i < x.length; i++) {
				x[i] = kind.feature.applyAsDouble(tune.get(i).score());
				right[i] = tune.get(i).right();
			}
			return with(kind, judged, Platt.fit(x, right));
		}

		/** Given Platt parameters (fitted elsewhere) applied to all. */
		static Calibrated with(Kind kind, List<Judged> judged, Platt platt) {
			double[] confidence = new double[judged.size()];
			for (int i = 0; i < confidence.length; i++) {
				confidence[i] = platt.confidence(kind.feature.applyAsDouble(judged.get(i).score()));
			}
			return new Calibrated(kind, judged, platt, confidence);
		}

		/** The raw score a confidence threshold stands for (probability for M, cosine for N). */
		double rawAt(double t) {
			if (t <= 0) {
				return this.kind == Kind.MODEL ? 0 : -1;
			}
			double x = this.platt.scoreAt(t);
			return this.kind == Kind.MODEL ? Platt.sigmoid(x) : x;
		}

		/** The reliability on the admitted questions: of the raw scores, or of the confidences. */
		Reliability reliability(Predicate<Judged> admitted, boolean calibrated) {
			return reliability(admitted, calibrated, 1);
		}

		/**
		 * The same with each out-of-scope question weighing {@code outOfScopeWeight}: 3 gives the
		 * report half (1,500 + 50) the tuning set's mix (1,500 + 150).
		 */
		Reliability reliability(Predicate<Judged> admitted, boolean calibrated, double outOfScopeWeight) {
			List<Integer> at = java.util.stream.IntStream.range(0, this.judged.size())
				.filter(i -> admitted.test(this.judged.get(i)))
				.boxed()
				.toList();
			double[] c = new double[at.size()];
			boolean[] right = new boolean[at.size()];
			double[] weight = new double[at.size()];
			for (int i = 0; i < c.length; i++) {
				Judged j = this.judged.get(at.get(i));
				c[i] = calibrated ? this.confidence[at.get(i)] : j.score();
				right[i] = j.right();
				weight[i] = j.outOfScope() ? outOfScopeWeight : 1;
			}
			return Reliability.of(c, right, weight);
		}

	}

	/**
	 * The figures at one threshold (fractions).
	 * @param cost mean cost per question: a wrong answer (wrong group, or any answer out of scope)
	 * costs {@link #COST_OF_WRONG}, a gap where the answer would have been right costs 1, the rest 0
	 */
	record Figures(double accuracy, double recall, int inScope, int outOfScope, double cost) {

		double sum() {
			return this.accuracy + this.recall;
		}

	}

	/** How the threshold is chosen on the tuning set. */
	enum Criterion {

		SUM("(i) max acc + recall"),

		ACCURACY_AT_RECALL_60("(ii) max acc at recall ≥ 60 %"),

		RECALL_WITHIN_1("(iii) max recall, acc ≥ ceiling − 1"),

		COST(String.format(Locale.ROOT, "(iv) cost, wrong = %.0f× gap: t = %.2f", COST_OF_WRONG,
				COST_OF_WRONG / (1 + COST_OF_WRONG)));

		final String label;

		Criterion(String label) {
			this.label = label;
		}

	}

	private ConfidenceThresholds() {
	}

	static Figures figures(Calibrated c, Predicate<Judged> admitted, double t, double costOfWrong) {
		int inScope = 0;
		int right = 0;
		int outOfScope = 0;
		int caught = 0;
		double cost = 0;
		for (int i = 0; i < c.judged().size(); i++) {
			Judged j = c.judged().get(i);
			if (!admitted.test(j)) {
				continue;
			}
			boolean answered = c.confidence()[i] >= t;
			if (j.outOfScope()) {
				outOfScope++;
				caught += answered ? 0 : 1;
			}
			else {
				inScope++;
				right += answered && j.right() ? 1 : 0;
			}
			cost += answered ? (j.right() ? 0 : costOfWrong) : (j.right() ? 1 : 0);
		}
		int n = inScope + outOfScope;
		return new Figures(inScope == 0 ? 0 : (double) right / inScope, outOfScope == 0 ? 0 : (double) caught / outOfScope,
				inScope, outOfScope, n == 0 ? 0 : cost / n);
	}

	static Figures figures(Calibrated c, Predicate<Judged> admitted, double t) {
		return figures(c, admitted, t, COST_OF_WRONG);
	}

	/** The threshold {@code criterion} chooses on the questions {@code tuning} admits. */
	static double choose(Criterion criterion, Calibrated c, Predicate<Judged> tuning) {
		if (criterion == Criterion.COST) {
			// the Bayes decision for a calibrated confidence q: answer when c·(1 − q) < q
			return COST_OF_WRONG / (1 + COST_OF_WRONG);
		}
		double ceiling = figures(c, tuning, 0).accuracy();
		double best = 0;
		double bestValue = Double.NEGATIVE_INFINITY;
		for (int g = 0; g <= GRID; g++) {
			double t = (double) g / GRID;
			Figures f = figures(c, tuning, t);
			double value = switch (criterion) {
				case SUM -> f.sum() + 1e-4 * f.accuracy();
				case ACCURACY_AT_RECALL_60 -> f.recall() >= 0.6 - 1e-12 ? f.accuracy() + 1e-4 * f.recall() : f.recall() - 10;
				case RECALL_WITHIN_1 -> f.accuracy() >= ceiling - 0.01 - 1e-12 ? f.recall() + 1e-4 * f.accuracy()
						: f.accuracy() - 10;
				case COST -> throw new IllegalStateException();
			};
			if (value > bestValue + 1e-12) {
				bestValue = value;
				best = t;
			}
		}
		return best;
	}

	/** The threshold of least mean cost on the tuning set for a cost of a wrong answer (the empirical check of t = c / (1 + c)). */
	static double leastCost(Calibrated c, Predicate<Judged> tuning, double costOfWrong) {
		double best = 0;
		double bestCost = Double.POSITIVE_INFINITY;
		for (int g = 0; g <= GRID; g++) {
			double t = (double) g / GRID;
			double cost = figures(c, tuning, t, costOfWrong).cost();
			if (cost < bestCost - 1e-12) {
				bestCost = cost;
				best = t;
			}
		}
		return best;
	}

}
