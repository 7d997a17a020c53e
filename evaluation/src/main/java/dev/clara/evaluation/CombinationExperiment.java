package dev.clara.evaluation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import dev.clara.evaluation.AnswerModelExperiment.Asked;
import dev.clara.evaluation.AnswerPaths.Judged;
import dev.clara.evaluation.AnswerPaths.Kind;
import dev.clara.evaluation.CalibrationExperiment.Setting;
import dev.clara.evaluation.ConfidenceThresholds.Calibrated;
import dev.clara.evaluation.ConfidenceThresholds.Criterion;
import dev.clara.evaluation.ConfidenceThresholds.Figures;
import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.AnswerModelTrainer.Example;

/**
 * The answer model with pairs newer than it ({@code newer}) and with out-of-scope examples
 * ({@code oos-examples}), see evaluation/ANSWER_MODEL.md.
 *
 * <p>{@code newer}: 10 % of the full knowledge base's pairs (seeded), or every pair of 10 % of the
 * groups, are held out of training, as pairs added after the model was trained; nearest-neighbour
 * search still sees every pair. Rule: when the nearest pair is a held-out one with calibrated
 * N-confidence ≥ t_N, answer its group with that confidence; otherwise the model's decision
 * (calibrated M-confidence ≥ t_M). Platt parameters and thresholds are the full knowledge base's
 * (what the product would ship as defaults).
 *
 * <p>{@code oos-examples}: 0, 25, 50, 100 oos_train utterances (seeded) as an out-of-scope class;
 * calibration and thresholds on the tune half only (1,500 + 50 oos_val).
 */
final class CombinationExperiment {

	static final long SEED = 20_261_206L;

	static final double HELD_OUT = 0.10;

	private final AnswerModelExperiment x;

	private final CalibrationExperiment calibration;

	CombinationExperiment(AnswerModelExperiment x) {
		this.x = x;
		this.calibration = new CalibrationExperiment(x);
	}

	/** Step 5. */
	void newer(List<Criterion> criteria) throws IOException {
		List<KnowledgeBase.Pair> pairs = KnowledgeBase.perIntent(this.x.clinc(), Integer.MAX_VALUE);
		Setting full = this.calibration.setting("full", "per-intent-all", pairs);
		Calibrated m = Calibrated.fit(Kind.MODEL, full.judged().get(Kind.MODEL), AnswerPaths.TUNE_150);
		Calibrated n = Calibrated.fit(Kind.NEAREST, full.judged().get(Kind.NEAREST), AnswerPaths.TUNE_150);
		this.x.say(String.format("full knowledge base: Platt M a %.3f b %.3f, N a %.3f b %.3f", m.platt().a(), m.platt().b(),
				n.platt().a(), n.platt().b()));

		List<Integer> order = new ArrayList<>(IntStream.range(0, pairs.size()).boxed().toList());
		Collections.shuffle(order, new Random(SEED));
		Set<Integer> heldPairs = new HashSet<>(order.subList(0, (int) Math.round(HELD_OUT * pairs.size())));
		List<String> intents = new ArrayList<>(pairs.stream().map(KnowledgeBase.Pair::intent).distinct().sorted().toList());
		Collections.shuffle(intents, new Random(SEED));
		Set<String> heldIntents = new HashSet<>(intents.subList(0, (int) Math.round(HELD_OUT * intents.size())));
		Set<Integer> heldGroups = new HashSet<>();
		for (int i = 0; i < pairs.size(); i++) {
			if (heldIntents.contains(pairs.get(i).intent())) {
				heldGroups.add(i);
			}
		}

		this.x.say("");
		this.x.say("| held out (newer than the model) | criterion | t_M | t_N | scoring | report accuracy | report recall | rule fired (report) / right | report ECE of the confidence |");
		this.x.say("|---|---|---:|---:|---|---:|---:|---|---:|");
		for (Criterion criterion : criteria) {
			double tM = ConfidenceThresholds.choose(criterion, m, AnswerPaths.TUNE_150);
			double tN = ConfidenceThresholds.choose(criterion, n, AnswerPaths.TUNE_150);
			String prefix = String.format("| %s | %.3f | %.3f", criterion.label, tM, tN);
			Figures all = ConfidenceThresholds.figures(m, AnswerPaths.REPORT, tM);
			this.x.say(String.format("| none %s | model trained on all 15,000 | %.1f | %.1f | | %.4f |", prefix,
					100 * all.accuracy(), 100 * all.recall(), m.reliability(AnswerPaths.REPORT, true).ece()));
			for (boolean groups : List.of(false, true)) {
				Set<Integer> held = groups ? heldGroups : heldPairs;
				String what = groups ? String.format("%d groups (%d pairs)", heldIntents.size(), held.size())
						: String.format("%d pairs", held.size());
				List<Example> kept = new ArrayList<>();
				for (int i = 0; i < full.examples().size(); i++) {
					if (!held.contains(i)) {
						kept.add(full.examples().get(i));
					}
				}
				AnswerModel older = AnswerPaths.train(this.x.stateDir, this.x.embeddingModel,
						"full-minus-" + (groups ? "groups" : "pairs") + "-10pct-seed-" + SEED, kept, List.of(),
						CalibrationExperiment.L2, this.x::say);
				Calibrated mOlder = Calibrated.with(Kind.MODEL, AnswerPaths.model(older, this.calibration.asked()), m.platt());
				Figures without = ConfidenceThresholds.figures(mOlder, AnswerPaths.REPORT, tM);
				this.x.say(String.format("| %s %s | model without them, no rule | %.1f | %.1f | | %.4f |", what, prefix,
						100 * without.accuracy(), 100 * without.recall(), mOlder.reliability(AnswerPaths.REPORT, true).ece()));
				this.x.say(combined(what + " " + prefix, mOlder, n, held, tM, tN, "model without them + rule"));
				// both confidences estimate the chance of being right, so one threshold can serve both
				this.x.say(combined(what + String.format(" | %s | %.3f | %.3f", criterion.label, tM, tM), mOlder, n, held, tM, tM,
						"model without them + rule, t_N = t_M"));
				this.x.say(combined(what + " " + prefix, mOlder, n, held, tM, tN,
						"model without them + rule only where the newer pair is more confident than the model"));
			}
		}
	}

	/** The rule's figures on the report half, as a table row. */
	private String combined(String head, Calibrated model, Calibrated nearest, Set<Integer> held, double tM, double tN,
			String scoring) {
		int inScope = 0;
		int right = 0;
		int outOfScope = 0;
		int caught = 0;
		int fired = 0;
		int firedRight = 0;
		List<Double> confidence = new ArrayList<>();
		List<Boolean> rightAnswer = new ArrayList<>();
		for (int i = 0; i < model.judged().size(); i++) {
			Judged mj = model.judged().get(i);
			if (!AnswerPaths.REPORT.test(mj)) {
				continue;
			}
			Judged nj = nearest.judged().get(i);
			boolean rule = held.contains(nj.neighbour()) && nearest.confidence()[i] >= tN
					&& (!scoring.contains("more confident") || nearest.confidence()[i] > model.confidence()[i]);
			boolean answered = rule || model.confidence()[i] >= tM;
			boolean isRight = rule ? nj.right() : mj.right();
			confidence.add(rule ? nearest.confidence()[i] : model.confidence()[i]);
			rightAnswer.add(isRight);
			fired += rule ? 1 : 0;
			firedRight += rule && isRight ? 1 : 0;
			if (mj.outOfScope()) {
				outOfScope++;
				caught += answered ? 0 : 1;
			}
			else {
				inScope++;
				right += answered && isRight ? 1 : 0;
			}
		}
		double[] c = confidence.stream().mapToDouble(Double::doubleValue).toArray();
		boolean[] r = new boolean[c.length];
		for (int i = 0; i < r.length; i++) {
			r[i] = rightAnswer.get(i);
		}
		return String.format("| %s | %s | %.1f | %.1f | %d / %d | %.4f |", head, scoring, 100.0 * right / inScope, 100.0 * caught / outOfScope, fired, firedRight, Reliability.of(c, r).ece());
	}

	/** Step 6. */
	void outOfScopeExamples(List<String> sizes, List<Integer> counts, List<Criterion> criteria) throws IOException {
		List<Asked> asked = this.calibration.asked();
		List<float[]> oosTrain = new ArrayList<>(this.x.outOfScopeTraining());
		Collections.shuffle(oosTrain, new Random(SEED));
		this.x.say("");
		this.x.say("| knowledge base | out-of-scope examples | Platt a | Platt b | report ceiling | report out-of-scope questions whose most probable class is out of scope | criterion | t | raw p ≥ | tune acc / recall | report accuracy | report recall | target met |");
		this.x.say("|---|---:|---:|---:|---:|---:|---|---:|---:|---|---:|---:|---|");
		for (String size : sizes) {
			boolean full = size.equals("full");
			List<KnowledgeBase.Pair> pairs = KnowledgeBase.perIntent(this.x.clinc(), full ? Integer.MAX_VALUE : 5);
			List<Example> examples = this.x.examples(pairs);
			String label = size + " (" + examples.size() + " pairs)";
			for (int count : counts) {
				List<float[]> oos = oosTrain.subList(0, count);
				String key = (full ? "per-intent-all" : "per-intent-5") + (count == 0 ? "" : "+oos-" + count + "-seed-" + SEED);
				AnswerModel model = AnswerPaths.train(this.x.stateDir, this.x.embeddingModel, key, examples, oos,
						CalibrationExperiment.L2, this.x::say);
				List<Judged> judged = AnswerPaths.model(model, asked);
				Calibrated c = Calibrated.fit(Kind.MODEL, judged, AnswerPaths.TUNE_50);
				long flagged = asked.stream()
					.filter(q -> q.outOfScope() && q.half() == ValidationSplit.Half.REPORT && !q.extraOutOfScope())
					.filter(q -> {
						var p = model.predict(q.vector());
						return p.outOfScopeProbability() > p.bestProbability();
					})
					.count();
				Figures ceiling = ConfidenceThresholds.figures(c, AnswerPaths.REPORT, 0);
				for (Criterion criterion : criteria) {
					row(label, count, c, ceiling, flagged, criterion, AnswerPaths.TUNE_50);
				}
			}
		}
	}

	private void row(String kb, int count, Calibrated c, Figures ceiling, long flagged, Criterion criterion,
			Predicate<Judged> tuning) {
		double t = ConfidenceThresholds.choose(criterion, c, tuning);
		Figures tune = ConfidenceThresholds.figures(c, tuning, t);
		Figures report = ConfidenceThresholds.figures(c, AnswerPaths.REPORT, t);
		this.x.say(String.format("| %s | %d | %.3f | %.3f | %.1f | %d / %d | %s | %.3f | %.3f | %.1f / %.1f | **%.1f** | **%.1f** | %s |", kb,
				count, c.platt().a(), c.platt().b(), 100 * ceiling.accuracy(), flagged, ceiling.outOfScope(), criterion.label,
				t, c.rawAt(t), 100 * tune.accuracy(), 100 * tune.recall(), 100 * report.accuracy(), 100 * report.recall(),
				CalibrationExperiment.meetsTarget(kb, report) ? "yes" : "no"));
	}

}
