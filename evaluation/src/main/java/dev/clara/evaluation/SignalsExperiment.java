package dev.clara.evaluation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.clara.evaluation.AnswerPaths.Judged;
import dev.clara.evaluation.AnswerPaths.Kind;
import dev.clara.evaluation.CalibrationExperiment.Setting;
import dev.clara.evaluation.ConfidenceThresholds.Calibrated;
import dev.clara.evaluation.ConfidenceThresholds.Criterion;
import dev.clara.evaluation.ConfidenceThresholds.Figures;

/**
 * Whether the model's answer is right is better told by the model and the search together: the
 * model's probability for its group, the nearest pair's cosine, and whether the nearest pair is of
 * the model's group. A logistic regression on these three fitted on the tuning set (the same one
 * Platt scaling of the model alone is fitted on) gives the confidence; thresholds by the same
 * criteria; figures on the report half beside the model alone.
 */
final class SignalsExperiment {

	private final CalibrationExperiment calibration;

	private final AnswerModelExperiment x;

	SignalsExperiment(AnswerModelExperiment x) {
		this.x = x;
		this.calibration = new CalibrationExperiment(x);
	}

	/** The features of one question: logit of the model's probability, nearest cosine, agreement. */
	static double[] features(Judged model, Judged nearest) {
		double p = Math.min(1 - AnswerPaths.EPSILON, Math.max(AnswerPaths.EPSILON, model.score()));
		return new double[] { Platt.logit(p), nearest.score(), model.group().equals(nearest.group()) ? 1 : 0 };
	}

	void run(List<String> sizes, List<Criterion> criteria) throws IOException {
		this.x.say("| knowledge base | signals | weights (logit p, cosine, agree; bias) | criterion | t | tune acc / recall | report accuracy | report recall | target met |");
		this.x.say("|---|---|---|---|---:|---|---:|---:|---|");
		for (String size : sizes) {
			Setting s = this.calibration.setting(size);
			List<Judged> model = s.judged().get(Kind.MODEL);
			List<Judged> nearest = s.judged().get(Kind.NEAREST);
			Calibrated alone = Calibrated.fit(Kind.MODEL, model, AnswerPaths.TUNE_150);
			for (Criterion criterion : criteria) {
				row(s.label(), "model alone", String.format("a %.3f; b %.3f", alone.platt().a(), alone.platt().b()), alone,
						criterion);
			}
			List<double[]> x = new ArrayList<>();
			List<Boolean> right = new ArrayList<>();
			for (int i = 0; i < model.size(); i++) {
				if (AnswerPaths.TUNE_150.test(model.get(i))) {
					x.add(features(model.get(i), nearest.get(i)));
					right.add(model.get(i).right());
				}
			}
			double[] w = LogisticFit.fit(x, right);
			List<Judged> combined = new ArrayList<>(model.size());
			for (int i = 0; i < model.size(); i++) {
				Judged m = model.get(i);
				combined.add(new Judged(m.asked(), m.group(), m.right(), LogisticFit.linear(w, features(m, nearest.get(i))), -1));
			}
			// the linear predictor is already the log-odds: identity feature, Platt (1, 0)
			Calibrated both = Calibrated.with(Kind.NEAREST, combined, new Platt(1, 0));
			for (Criterion criterion : criteria) {
				row(s.label(), "model + nearest", String.format("%.3f, %.3f, %.3f; %.3f", w[0], w[1], w[2], w[3]), both,
						criterion);
			}
		}
	}

	private void row(String kb, String signals, String weights, Calibrated c, Criterion criterion) {
		double t = ConfidenceThresholds.choose(criterion, c, AnswerPaths.TUNE_150);
		Figures tune = ConfidenceThresholds.figures(c, AnswerPaths.TUNE_150, t);
		Figures report = ConfidenceThresholds.figures(c, AnswerPaths.REPORT, t);
		this.x.say(String.format("| %s | %s | %s | %s | %.3f | %.1f / %.1f | **%.1f** | **%.1f** | %s |", kb, signals, weights,
				criterion.label, t, 100 * tune.accuracy(), 100 * tune.recall(), 100 * report.accuracy(),
				100 * report.recall(), CalibrationExperiment.meetsTarget(kb, report) ? "yes" : "no"));
	}

}
