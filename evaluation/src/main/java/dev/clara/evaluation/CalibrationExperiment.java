package dev.clara.evaluation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.clara.evaluation.AnswerModelExperiment.Asked;
import dev.clara.evaluation.AnswerPaths.Judged;
import dev.clara.evaluation.AnswerPaths.Kind;
import dev.clara.evaluation.AnswerPaths.Neighbours;
import dev.clara.evaluation.ConfidenceThresholds.Calibrated;
import dev.clara.evaluation.ConfidenceThresholds.Criterion;
import dev.clara.evaluation.ConfidenceThresholds.Figures;
import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.AnswerModelTrainer.Example;

/**
 * Calibrated confidence and gap thresholds (evaluation/ANSWER_MODEL.md, "Calibrated confidence"):
 * {@code calibration [full,small]} fits Platt scaling per path (M, N, V) on the tuning set (tune
 * half + 100 oos_train), shows reliability before and after on the report half and the thresholds
 * each criterion chooses; {@code thin [1,2,3,5,full]} does the same for knowledge bases with 1, 2,
 * 3, 5 phrasings per intent and the full one, M against N.
 */
final class CalibrationExperiment {

	/** The model's regularisation: the product's default. */
	static final double L2 = 1e-5;

	/** Costs of a wrong answer shown besides the chosen one. */
	static final double[] COSTS = { 1, 2, 3, 5, 9 };

	/** The targets on the report half: full ≥ 96.0 / 60, smaller ones ≥ 87 / 60. */
	static boolean meetsTarget(String kb, Figures f) {
		double accuracy = kb.startsWith("full") ? 0.96 : 0.87;
		return f.accuracy() >= accuracy - 1e-9 && f.recall() >= 0.6 - 1e-9;
	}

	/** A knowledge base and every path's view of the questions. */
	record Setting(String label, List<Example> examples, Neighbours neighbours, Map<Kind, List<Judged>> judged) {
	}

	private final AnswerModelExperiment x;

	private final List<Asked> asked;

	CalibrationExperiment(AnswerModelExperiment x) {
		this.x = x;
		this.asked = x.asked();
	}

	List<Asked> asked() {
		return this.asked;
	}

	/** The knowledge base of {@code pairs} under a model cache key, scored by all three paths. */
	Setting setting(String label, String key, List<KnowledgeBase.Pair> pairs) throws IOException {
		List<Example> examples = this.x.examples(pairs);
		Neighbours neighbours = AnswerPaths.search(examples, this.asked, AnswerPaths.VOTERS);
		AnswerModel model = AnswerPaths.train(this.x.stateDir, this.x.embeddingModel, key, examples, List.of(), L2,
				this.x::say);
		Map<Kind, List<Judged>> judged = new EnumMap<>(Kind.class);
		judged.put(Kind.MODEL, AnswerPaths.model(model, this.asked));
		judged.put(Kind.NEAREST, AnswerPaths.nearest(examples, this.asked, neighbours));
		judged.put(Kind.VOTE, AnswerPaths.vote(examples, this.asked, neighbours));
		return new Setting(label + " (" + examples.size() + " pairs)", examples, neighbours, judged);
	}

	Setting setting(String perIntent) throws IOException {
		return perIntent.equals("full") || perIntent.equals("100")
				? setting("full", "per-intent-all", KnowledgeBase.perIntent(this.x.clinc(), Integer.MAX_VALUE))
				: perIntent.equals("small") ? setting("small", "per-intent-5", KnowledgeBase.perIntent(this.x.clinc(), 5))
						: setting(perIntent + " per intent", "per-intent-" + perIntent,
								KnowledgeBase.perIntent(this.x.clinc(), Integer.parseInt(perIntent)));
	}

	/** Steps 1–3: calibration, reliability and thresholds for each knowledge base. */
	void calibration(List<String> sizes) throws IOException {
		Map<String, Map<Kind, Calibrated>> fitted = new java.util.LinkedHashMap<>();
		for (String size : sizes) {
			Setting s = setting(size);
			Map<Kind, Calibrated> byKind = new EnumMap<>(Kind.class);
			for (Kind kind : Kind.values()) {
				byKind.put(kind, Calibrated.fit(kind, s.judged().get(kind), AnswerPaths.TUNE_150));
			}
			fitted.put(s.label(), byKind);
			plattRows(s.label(), byKind);
			for (Kind kind : Kind.values()) {
				Calibrated c = byKind.get(kind);
				this.x.say("");
				this.x.say("Reliability on the report half, " + s.label() + ", " + kind.letter + " (" + kind.label + "):");
				this.x.say("");
				Reliability.table(c.reliability(AnswerPaths.REPORT, false), c.reliability(AnswerPaths.REPORT, true))
					.forEach(this.x::say);
			}
			this.x.say("");
			thresholdHeader();
			for (Kind kind : Kind.values()) {
				for (Criterion criterion : Criterion.values()) {
					thresholdRow(s.label(), byKind.get(kind), criterion, AnswerPaths.TUNE_150);
				}
			}
			this.x.say("");
			costSweep(s.label(), byKind);
		}
		if (fitted.size() > 1) {
			transfer(fitted);
		}
	}

	void plattRows(String kb, Map<Kind, Calibrated> byKind) {
		this.x.say("");
		this.x.say("| knowledge base | path | Platt a | Platt b | tune ECE raw → calibrated | report ECE raw → calibrated | report Brier raw → calibrated | report ECE, oos ×3 (tuning mix), calibrated | report Brier, oos ×3, calibrated |");
		this.x.say("|---|---|---:|---:|---|---|---|---:|---:|");
		for (Kind kind : Kind.values()) {
			Calibrated c = byKind.get(kind);
			Reliability tuneRaw = c.reliability(AnswerPaths.TUNE_150, false);
			Reliability tuneCal = c.reliability(AnswerPaths.TUNE_150, true);
			Reliability reportRaw = c.reliability(AnswerPaths.REPORT, false);
			Reliability reportCal = c.reliability(AnswerPaths.REPORT, true);
			Reliability mixed = c.reliability(AnswerPaths.REPORT, true, 3);
			this.x.say(String.format("| %s | %s (%s) | %.3f | %.3f | %.4f → %.4f | %.4f → %.4f | %.4f → %.4f | %.4f | %.4f |", kb,
					kind.letter, kind.label, c.platt().a(), c.platt().b(), tuneRaw.ece(), tuneCal.ece(), reportRaw.ece(),
					reportCal.ece(), reportRaw.brier(), reportCal.brier(), mixed.ece(), mixed.brier()));
		}
	}

	void thresholdHeader() {
		this.x.say("| knowledge base | path | criterion | t (confidence) | raw equivalent | tune acc / recall | report ceiling | report accuracy | report recall | report cost per question | target met |");
		this.x.say("|---|---|---|---:|---:|---|---:|---:|---:|---:|---|");
	}

	Figures thresholdRow(String kb, Calibrated c, Criterion criterion, Predicate<Judged> tuning) {
		double t = ConfidenceThresholds.choose(criterion, c, tuning);
		Figures tune = ConfidenceThresholds.figures(c, tuning, t);
		Figures report = ConfidenceThresholds.figures(c, AnswerPaths.REPORT, t);
		Figures ceiling = ConfidenceThresholds.figures(c, AnswerPaths.REPORT, 0);
		this.x.say(String.format("| %s | %s | %s | %.3f | %s %.3f | %.1f / %.1f | %.1f | **%.1f** | **%.1f** | %.3f | %s |", kb,
				c.kind().letter, criterion.label, t, c.kind() == Kind.MODEL ? "p ≥" : c.kind() == Kind.NEAREST ? "cos ≥" : "vote ≥", c.rawAt(t),
				100 * tune.accuracy(), 100 * tune.recall(), 100 * ceiling.accuracy(), 100 * report.accuracy(),
				100 * report.recall(), report.cost(), meetsTarget(kb, report) ? "yes" : "no"));
		return report;
	}

	/** Criterion (iv) for other costs of a wrong answer: t = c / (1 + c) against the least-cost t on the tuning set. */
	void costSweep(String kb, Map<Kind, Calibrated> byKind) {
		this.x.say("| knowledge base | path | cost of a wrong answer | t = c/(1+c) | least-cost t on tune | report accuracy at t | report recall at t | report cost at t |");
		this.x.say("|---|---|---:|---:|---:|---:|---:|---:|");
		for (Kind kind : List.of(Kind.MODEL, Kind.NEAREST)) {
			Calibrated c = byKind.get(kind);
			for (double cost : COSTS) {
				double t = cost / (1 + cost);
				double empirical = ConfidenceThresholds.leastCost(c, AnswerPaths.TUNE_150, cost);
				Figures report = ConfidenceThresholds.figures(c, AnswerPaths.REPORT, t, cost);
				this.x.say(String.format("| %s | %s | %.0f | %.3f | %.3f | %.1f | %.1f | %.3f |", kb, kind.letter, cost, t,
						empirical, 100 * report.accuracy(), 100 * report.recall(), report.cost()));
			}
		}
	}

	/** Whether one knowledge base's Platt parameters fit another's questions (the product has one default). */
	private void transfer(Map<String, Map<Kind, Calibrated>> fitted) {
		this.x.say("");
		this.x.say("| path | parameters fitted on | applied to | report ECE | report ECE, oos ×3 | report Brier | report accuracy / recall at t = 0.75 |");
		this.x.say("|---|---|---|---:|---:|---:|---|");
		for (Kind kind : List.of(Kind.MODEL, Kind.NEAREST)) {
			for (Map.Entry<String, Map<Kind, Calibrated>> from : fitted.entrySet()) {
				for (Map.Entry<String, Map<Kind, Calibrated>> to : fitted.entrySet()) {
					Calibrated c = Calibrated.with(kind, to.getValue().get(kind).judged(), from.getValue().get(kind).platt());
					Reliability r = c.reliability(AnswerPaths.REPORT, true);
					Figures f = ConfidenceThresholds.figures(c, AnswerPaths.REPORT, 0.75);
					this.x.say(String.format("| %s | %s | %s | %.4f | %.4f | %.4f | %.1f / %.1f |", kind.letter, from.getKey(),
							to.getKey(), r.ece(), c.reliability(AnswerPaths.REPORT, true, 3).ece(), r.brier(),
							100 * f.accuracy(), 100 * f.recall()));
				}
			}
		}
	}

	/**
	 * Step 4: thin knowledge bases, M against N (and V), each calibrated on its own tuning set; then
	 * with the first knowledge base's Platt parameters and thresholds (what a product default would be).
	 */
	void thin(List<String> perIntent, List<Criterion> criteria) throws IOException {
		List<String> rows = new ArrayList<>();
		java.util.TreeMap<Double, Map<Kind, Calibrated>> fittedByK = new java.util.TreeMap<>();
		Map<Kind, Calibrated> reference = null;
		String referenceLabel = null;
		for (String k : perIntent) {
			Setting s = setting(k);
			Map<Kind, Calibrated> byKind = new EnumMap<>(Kind.class);
			for (Kind kind : Kind.values()) {
				byKind.put(kind, Calibrated.fit(kind, s.judged().get(kind), AnswerPaths.TUNE_150));
			}
			plattRows(s.label(), byKind);
			this.x.say("");
			thresholdHeader();
			for (Criterion criterion : criteria) {
				for (Kind kind : Kind.values()) {
					thresholdRow(s.label(), byKind.get(kind), criterion, AnswerPaths.TUNE_150);
				}
			}
			fittedByK.put(k.equals("full") ? 100.0 : Double.parseDouble(k), byKind);
			if (reference == null) {
				reference = byKind;
				referenceLabel = s.label();
				continue;
			}
			for (Kind kind : List.of(Kind.MODEL, Kind.NEAREST)) {
				Calibrated ref = reference.get(kind);
				Calibrated c = Calibrated.with(kind, s.judged().get(kind), ref.platt());
				Reliability r = c.reliability(AnswerPaths.REPORT, true);
				for (Criterion criterion : criteria) {
					double t = ConfidenceThresholds.choose(criterion, ref, AnswerPaths.TUNE_150);
					Figures f = ConfidenceThresholds.figures(c, AnswerPaths.REPORT, t);
					rows.add(String.format("| %s | %s | %.4f | %.4f | %s | %.3f | %.1f | %.1f | %s |", s.label(), kind.letter,
							r.ece(), c.reliability(AnswerPaths.REPORT, true, 3).ece(), criterion.label, t, 100 * f.accuracy(),
							100 * f.recall(), meetsTarget(s.label(), f) ? "yes" : "no"));
				}
			}
		}
		if (!rows.isEmpty()) {
			this.x.say("");
			this.x.say("With the Platt parameters and thresholds of " + referenceLabel + " (one default for every workspace):");
			this.x.say("");
			this.x.say("| knowledge base | path | report ECE | report ECE, oos ×3 | criterion (on " + referenceLabel
					+ ") | t | report accuracy | report recall | target met |");
			this.x.say("|---|---|---:|---:|---|---:|---:|---:|---|");
			rows.forEach(this.x::say);
		}
		interpolated(fittedByK, criteria);
	}

	/**
	 * Whether a table of Platt parameters and thresholds by phrasings per group would do: each
	 * knowledge base between two others gets (a, b, t) interpolated linearly in ln(phrasings per
	 * group) from its neighbours in the table, itself left out, and is measured with them.
	 */
	private void interpolated(java.util.TreeMap<Double, Map<Kind, Calibrated>> fittedByK, List<Criterion> criteria) {
		List<Double> ks = new ArrayList<>(fittedByK.keySet());
		if (ks.size() < 3) {
			return;
		}
		this.x.say("");
		this.x.say("Each knowledge base with Platt parameters and threshold interpolated in ln(phrasings per group) from its two neighbours (itself left out):");
		this.x.say("");
		this.x.say("| phrasings per group | path | interpolated a, b | own a, b | report ECE, oos ×3: interpolated / own | criterion | t interpolated / own | report accuracy / recall: interpolated | own | target met (interpolated) |");
		this.x.say("|---:|---|---|---|---|---|---|---|---|---|");
		for (int i = 1; i < ks.size() - 1; i++) {
			double lo = ks.get(i - 1);
			double hi = ks.get(i + 1);
			double w = (Math.log(ks.get(i)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
			for (Kind kind : List.of(Kind.MODEL, Kind.NEAREST)) {
				Calibrated below = fittedByK.get(lo).get(kind);
				Calibrated above = fittedByK.get(hi).get(kind);
				Calibrated own = fittedByK.get(ks.get(i)).get(kind);
				Platt platt = new Platt((1 - w) * below.platt().a() + w * above.platt().a(),
						(1 - w) * below.platt().b() + w * above.platt().b());
				Calibrated c = Calibrated.with(kind, own.judged(), platt);
				for (Criterion criterion : criteria) {
					double t = (1 - w) * ConfidenceThresholds.choose(criterion, below, AnswerPaths.TUNE_150)
							+ w * ConfidenceThresholds.choose(criterion, above, AnswerPaths.TUNE_150);
					double tOwn = ConfidenceThresholds.choose(criterion, own, AnswerPaths.TUNE_150);
					Figures f = ConfidenceThresholds.figures(c, AnswerPaths.REPORT, t);
					Figures fOwn = ConfidenceThresholds.figures(own, AnswerPaths.REPORT, tOwn);
					String kb = ks.get(i) >= 100 ? "full" : "small";
					this.x.say(String.format("| %.0f | %s | %.3f, %.3f | %.3f, %.3f | %.4f / %.4f | %s | %.3f / %.3f | %.1f / %.1f | %.1f / %.1f | %s |",
							ks.get(i), kind.letter, platt.a(), platt.b(), own.platt().a(), own.platt().b(),
							c.reliability(AnswerPaths.REPORT, true, 3).ece(), own.reliability(AnswerPaths.REPORT, true, 3).ece(),
							criterion.label, t, tOwn, 100 * f.accuracy(), 100 * f.recall(), 100 * fOwn.accuracy(),
							100 * fOwn.recall(), meetsTarget(kb, f) ? "yes" : "no"));
				}
			}
		}
	}

}
