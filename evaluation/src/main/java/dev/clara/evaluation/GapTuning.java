package dev.clara.evaluation;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

import dev.clara.evaluation.ValidationSplit.Half;

/**
 * Chooses gap thresholds offline, by the criterion an owner cares about: in-scope accuracy plus
 * out-of-scope recall (both fractions, as CLINC150 reports them), maximised on the questions a
 * filter admits (the tune half, possibly with extra out-of-scope questions), then applied to the
 * report half. A question is answered when probability ≥ p, margin ≥ m and similarity ≥ s.
 */
final class GapTuning {

	/**
	 * One question as a method saw it: what it would answer and how sure it was.
	 * @param extraOutOfScope an out-of-scope training utterance (oos_train) used only for tuning
	 */
	record Scored(boolean outOfScope, Half half, boolean extraOutOfScope, boolean rightAnswer, double probability,
			double margin, double similarity) {
	}

	/** Thresholds of the three signals; 0 switches a signal off. */
	record Thresholds(double probability, double margin, double similarity) {

		boolean answers(Scored q) {
			return q.probability() >= this.probability && q.margin() >= this.margin && q.similarity() >= this.similarity;
		}

	}

	/** The two figures (fractions) on some questions. */
	record Figures(double inScopeAccuracy, double outOfScopeRecall, int inScope, int outOfScope) {

		double criterion() {
			return this.inScopeAccuracy + this.outOfScopeRecall;
		}

	}

	/** The grid a signal is tuned over; {@code {0}} leaves it off. */
	record Grid(double from, double to, double step) {

		static final Grid OFF = new Grid(0, 0, 1);

		int size() {
			return (int) Math.round((this.to - this.from) / this.step) + 1;
		}

		double at(int i) {
			return Math.round((this.from + i * this.step) * 10_000) / 10_000.0;
		}

	}

	/** A choice and the criterion it reached where it was chosen. */
	record Choice(Thresholds thresholds, Figures onTune) {
	}

	private GapTuning() {
	}

	static Figures figures(List<Scored> questions, Predicate<Scored> admitted, Thresholds thresholds) {
		int inScope = 0;
		int right = 0;
		int outOfScope = 0;
		int caught = 0;
		for (Scored q : questions) {
			if (!admitted.test(q)) {
				continue;
			}
			boolean answered = thresholds.answers(q);
			if (q.outOfScope()) {
				outOfScope++;
				caught += answered ? 0 : 1;
			}
			else {
				inScope++;
				right += answered && q.rightAnswer() ? 1 : 0;
			}
		}
		return new Figures(inScope == 0 ? 0 : (double) right / inScope, outOfScope == 0 ? 0 : (double) caught / outOfScope,
				inScope, outOfScope);
	}

	/** The criterion: in-scope accuracy + out-of-scope recall. */
	static final ToDoubleFunction<Figures> SUM = Figures::criterion;

	/** The acceptance target as a constraint: the best in-scope accuracy flagging at least 60 % out of scope. */
	static final ToDoubleFunction<Figures> ACCURACY_AT_RECALL_60 = f -> f.outOfScopeRecall() >= 0.6 - 1e-12
			? f.inScopeAccuracy() : f.outOfScopeRecall() - 1;

	/** The thresholds maximising {@link #SUM} on the admitted questions; of equal ones, the first (lowest). */
	static Choice tune(List<Scored> questions, Predicate<Scored> admitted, Grid probability, Grid margin, Grid similarity) {
		return tune(questions, admitted, probability, margin, similarity, SUM);
	}

	/** The thresholds maximising {@code objective} on the admitted questions; of equal ones, the first (lowest). */
	static Choice tune(List<Scored> questions, Predicate<Scored> admitted, Grid probability, Grid margin, Grid similarity,
			ToDoubleFunction<Figures> objective) {
		List<Scored> tuneSet = questions.stream().filter(admitted).toList();
		Choice best = null;
		for (int s = 0; s < similarity.size(); s++) {
			for (int m = 0; m < margin.size(); m++) {
				for (int p = 0; p < probability.size(); p++) {
					Thresholds t = new Thresholds(probability.at(p), margin.at(m), similarity.at(s));
					Figures f = figures(tuneSet, q -> true, t);
					if (best == null || objective.applyAsDouble(f) > objective.applyAsDouble(best.onTune()) + 1e-12) {
						best = new Choice(t, f);
					}
				}
			}
		}
		return best;
	}

	/** The tune half of the validation split (val and oos_val). */
	static final Predicate<Scored> TUNE = q -> q.half() == Half.TUNE && !q.extraOutOfScope();

	/** The tune half plus the 100 oos_train utterances as more out-of-scope questions. */
	static final Predicate<Scored> TUNE_WITH_OOS_TRAIN = q -> q.half() == Half.TUNE;

	/** The report half: figures only, never a choice. */
	static final Predicate<Scored> REPORT = q -> q.half() == Half.REPORT;

}
