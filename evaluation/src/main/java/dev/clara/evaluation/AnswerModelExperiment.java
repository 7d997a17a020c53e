package dev.clara.evaluation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

import dev.clara.evaluation.GapTuning.Choice;
import dev.clara.evaluation.GapTuning.Figures;
import dev.clara.evaluation.GapTuning.Grid;
import dev.clara.evaluation.GapTuning.Scored;
import dev.clara.evaluation.KnowledgeBase.Size;
import dev.clara.evaluation.ValidationSplit.Half;
import dev.clara.shared.answers.AnswerGroups;
import dev.clara.shared.answers.AnswerModel;
import dev.clara.shared.answers.AnswerModelTrainer;
import dev.clara.shared.answers.AnswerModelTrainer.Example;
import dev.clara.shared.answers.AnswerModelTrainer.Settings;
import dev.clara.shared.answers.Prediction;
import dev.clara.shared.embedding.LocalEmbeddingProvider;
import dev.clara.shared.embedding.Vectors;

/**
 * The answer model measured offline on CLINC150, without services: sentences embedded once with
 * the product's local model (cached in the state folder), the knowledge base's pairs grouped by
 * answer, and each gap decision's thresholds chosen on the tune half by in-scope accuracy plus
 * out-of-scope recall, then reported on the report half. Usage (see evaluation/ANSWER_MODEL.md):
 * {@code AnswerModelExperiment <clinc150 dir> <state dir> [--embedding <model id>] [figures [full,small [no-liblinear]]
 * | cost [sizes [learners [l2]]] | calibration [sizes] | thin [per-intent list [criteria]] | signals [sizes [criteria]] | newer [criteria]
 * | oos-examples [sizes [counts [criteria]]] | convergence [tolerance:maxIterations,... [l2]] | embed]}; the calibrated confidence's commands are in
 * {@link CalibrationExperiment} and {@link CombinationExperiment}.
 */
public final class AnswerModelExperiment {

	static final double[] L2_GRID = { 1e-5, 3e-5, 1e-4, 3e-4 };

	static final Grid PROBABILITY = new Grid(0, 1, 0.005);

	static final Grid MARGIN = new Grid(0, 0.6, 0.01);

	static final Grid SIMILARITY = new Grid(0.5, 1, 0.005);

	private final Clinc150 clinc;

	private final SentenceVectors vectors;

	final String embeddingModel;

	final Path stateDir;

	private final List<String> lines = new ArrayList<>();

	private boolean withLiblinear = true;

	private AnswerModelExperiment(Clinc150 clinc, SentenceVectors vectors, String embeddingModel, Path stateDir) {
		this.clinc = clinc;
		this.vectors = vectors;
		this.embeddingModel = embeddingModel;
		this.stateDir = stateDir;
	}

	Clinc150 clinc() {
		return this.clinc;
	}

	public static void main(String[] args) throws Exception {
		if (args.length < 2) {
			System.err.println("usage: AnswerModelExperiment <clinc150 dir> <state dir> [--embedding <model id>]"
					+ " [figures [full,small [no-liblinear]] | cost [sizes [learners [l2]]] | calibration [full,small]"
					+ " | thin [full,1,2,3,5,10,20,50 [criteria]] | signals [full,small [criteria]] | newer [criteria] | oos-examples [full,small [0,25,50,100 [criteria]]]"
					+ " | convergence [tolerance:maxIterations,... [l2]] | embed]");
			System.exit(2);
		}
		String embeddingModel = LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q;
		if (args.length > 3 && args[2].equals("--embedding")) {
			embeddingModel = args[3];
			List<String> rest = new ArrayList<>(Arrays.asList(args));
			rest.subList(2, 4).clear();
			args = rest.toArray(String[]::new);
		}
		Clinc150 clinc = Clinc150.load(Path.of(args[0]));
		List<String> texts = new ArrayList<>();
		clinc.train().forEach(u -> texts.add(u.text()));
		clinc.val().forEach(u -> texts.add(u.text()));
		clinc.oosVal().forEach(u -> texts.add(u.text()));
		clinc.oosTrain().forEach(u -> texts.add(u.text()));
		SentenceVectors vectors;
		try (LocalEmbeddingProvider provider = new LocalEmbeddingProvider(embeddingModel)) {
			vectors = SentenceVectors.of(texts, provider, Path.of(args[1]));
		}
		AnswerModelExperiment experiment = new AnswerModelExperiment(clinc, vectors, embeddingModel, Path.of(args[1]));
		if (args.length > 2 && args[2].equals("embed")) {
			System.err.println("vectors of " + embeddingModel + " cached in " + args[1]);
			return;
		}
		String command = args.length > 2 ? args[2] : "figures";
		List<String> first = args.length > 3 ? List.of(args[3].split(",")) : List.of();
		if (command.equals("calibration")) {
			new CalibrationExperiment(experiment).calibration(first.isEmpty() ? List.of("full", "small") : first);
		}
		else if (command.equals("thin")) {
			new CalibrationExperiment(experiment).thin(first.isEmpty() ? List.of("full", "1", "2", "3", "5", "10", "20", "50") : first,
					criteria(args, 4));
		}
		else if (command.equals("signals")) {
			new SignalsExperiment(experiment).run(first.isEmpty() ? List.of("full", "small") : first, criteria(args, 4));
		}
		else if (command.equals("newer")) {
			new CombinationExperiment(experiment).newer(criteria(args, 3));
		}
		else if (command.equals("oos-examples")) {
			List<Integer> counts = args.length > 4 ? Arrays.stream(args[4].split(",")).map(Integer::valueOf).toList()
					: List.of(0, 25, 50, 100);
			new CombinationExperiment(experiment).outOfScopeExamples(first.isEmpty() ? List.of("full", "small") : first,
					counts, criteria(args, 5));
		}
		else if (args.length > 2 && args[2].equals("cost")) {
			List<Integer> sizes = args.length > 3 ? Arrays.stream(args[3].split(",")).map(Integer::valueOf).toList()
					: List.of(1_000, 15_000, 50_000);
			List<String> learners = args.length > 4 ? List.of(args[4].split(",")) : List.of("answer-model", "liblinear");
			double l2 = args.length > 5 ? Double.parseDouble(args[5]) : Settings.defaults().l2();
			Map<String, String> intents = new HashMap<>();
			KnowledgeBase.of(clinc, Size.FULL).forEach(p -> intents.put(AnswerGroups.groupId(p.answer()), p.intent()));
			TrainingCost.report(experiment.examples(Size.FULL), List.of(), experiment::say, sizes, learners, l2,
					id -> intents.getOrDefault(id, id));
		}
		else if (args.length > 2 && args[2].equals("convergence")) {
			List<String> stops = args.length > 3 ? List.of(args[3].split(",")) : List.of("1e-5:300", "1e-4:300", "1e-5:40", "1e-5:25");
			experiment.convergence(stops, args.length > 4 ? Double.parseDouble(args[4]) : Settings.defaults().l2());
		}
		else {
			experiment.say("| knowledge base | method | threshold criterion | out-of-scope questions tuned on | thresholds (tune half) | criterion on tune | report accuracy without threshold | report in-scope accuracy % | report out-of-scope recall % |");
			experiment.say("|---|---|---|---|---|---|---|---|---|");
			List<String> sizes = args.length > 3 ? List.of(args[3].split(",")) : List.of("full", "small");
			experiment.withLiblinear = !(args.length > 4 && args[4].equals("no-liblinear"));
			for (String size : sizes) {
				experiment.run(Size.of(size));
			}
		}
		String report = String.join("\n", experiment.lines) + "\n";
		String prefix = embeddingModel.equals(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q) ? "answer-model-"
				: "answer-model-" + embeddingModel + "-";
		Files.writeString(Path.of(args[1]).resolve(prefix + String.join("-", Arrays.asList(args).subList(2, args.length))
				+ "-" + LocalDate.now() + ".md"), report);
	}

	/** The threshold criteria named (comma-separated) in {@code args[at]}, all when absent. */
	private static List<ConfidenceThresholds.Criterion> criteria(String[] args, int at) {
		return args.length > at ? Arrays.stream(args[at].split(",")).map(ConfidenceThresholds.Criterion::valueOf).toList()
				: List.of(ConfidenceThresholds.Criterion.values());
	}

	/** A line of the report, also shown as it comes (a run takes many minutes). */
	void say(String line) {
		this.lines.add(line);
		System.err.println(line);
	}

	List<Example> examples(Size size) {
		return examples(KnowledgeBase.of(this.clinc, size));
	}

	List<Example> examples(List<KnowledgeBase.Pair> pairs) {
		List<Example> examples = new ArrayList<>();
		for (KnowledgeBase.Pair pair : pairs) {
			examples.add(new Example(this.vectors.of(pair.question()), AnswerGroups.groupId(pair.answer())));
		}
		return examples;
	}

	float[] vectorOf(String text) {
		return this.vectors.of(text);
	}

	List<float[]> outOfScopeTraining() {
		return this.clinc.oosTrain().stream().map(u -> this.vectors.of(u.text())).toList();
	}

	/** A question asked: validation ones in their half, oos_train ones as extra tune questions. */
	record Asked(float[] vector, String goldGroup, Half half, boolean extraOutOfScope) {

		boolean outOfScope() {
			return this.goldGroup == null;
		}

	}

	List<Asked> asked() {
		List<Asked> asked = new ArrayList<>();
		for (ValidationSplit.Question q : ValidationSplit.of(this.clinc)) {
			asked.add(new Asked(this.vectors.of(q.text()),
					q.outOfScope() ? null : AnswerGroups.groupId(KnowledgeBase.answerFor(q.gold())), q.half(), false));
		}
		this.clinc.oosTrain().forEach(u -> asked.add(new Asked(this.vectors.of(u.text()), null, Half.TUNE, true)));
		return asked;
	}

	private void run(Size size) {
		List<Example> examples = examples(size);
		List<Asked> asked = asked();
		String kb = size.label() + " (" + examples.size() + " pairs)";
		List<Scored> nearest = NearestNeighbour.score(examples, asked);
		row(kb, "(a) nearest neighbour, cosine", nearest, GapTuning.TUNE, Grid.OFF, Grid.OFF, SIMILARITY);
		row(kb, "(a) nearest neighbour, cosine", nearest, GapTuning.TUNE_WITH_OOS_TRAIN, Grid.OFF, Grid.OFF, SIMILARITY);

		Map<Double, List<Scored>> byL2 = new HashMap<>();
		double l2 = chooseL2(kb, "model", examples, List.of(), asked, nearest, byL2);
		List<Scored> model = byL2.get(l2);
		for (Predicate<Scored> tuning : List.of(GapTuning.TUNE, GapTuning.TUNE_WITH_OOS_TRAIN)) {
			row(kb, "(b) model, probability", model, tuning, PROBABILITY, Grid.OFF, Grid.OFF);
			row(kb, "(c) model, probability + margin", model, tuning, PROBABILITY, MARGIN, Grid.OFF);
		}
		Map<Double, List<Scored>> byL2WithClass = new HashMap<>();
		double l2WithClass = chooseL2(kb, "model + out-of-scope class", examples, outOfScopeTraining(), asked, nearest,
				byL2WithClass);
		List<Scored> withClass = byL2WithClass.get(l2WithClass);
		row(kb, "(d) model + oos class, probability", withClass, GapTuning.TUNE, PROBABILITY, Grid.OFF, Grid.OFF);
		row(kb, "(d) model + oos class, probability + margin", withClass, GapTuning.TUNE, PROBABILITY, MARGIN, Grid.OFF);
		Grid coarseP = new Grid(0, 1, 0.01);
		Grid coarseM = new Grid(0, 0.5, 0.02);
		Grid coarseS = new Grid(0.5, 1, 0.01);
		row(kb, "(e) model + cosine of nearest", model, GapTuning.TUNE_WITH_OOS_TRAIN, coarseP, coarseM, coarseS);
		row(kb, "(e) model + oos class + cosine of nearest", withClass, GapTuning.TUNE, coarseP, coarseM, coarseS);
		row(kb, "(a) nearest neighbour, cosine", nearest, GapTuning.TUNE, Grid.OFF, Grid.OFF, SIMILARITY,
				GapTuning.ACCURACY_AT_RECALL_60);
		row(kb, "(b) model, probability", model, GapTuning.TUNE, PROBABILITY, Grid.OFF, Grid.OFF,
				GapTuning.ACCURACY_AT_RECALL_60);
		row(kb, "(d) model + oos class, probability", withClass, GapTuning.TUNE, PROBABILITY, Grid.OFF, Grid.OFF,
				GapTuning.ACCURACY_AT_RECALL_60);
		row(kb, "(e) model + oos class + cosine of nearest", withClass, GapTuning.TUNE, coarseP, coarseM, coarseS,
				GapTuning.ACCURACY_AT_RECALL_60);
		if (this.withLiblinear) {
			List<Scored> liblinear = LiblinearBaseline.score(examples, asked, nearest, l2);
			row(kb, "liblinear L2R_LR (one-vs-rest), probability + margin", liblinear, GapTuning.TUNE, PROBABILITY,
					MARGIN, Grid.OFF);
		}
	}

	/**
	 * How much a looser stopping rule costs in accuracy: the full knowledge base trained at one l2
	 * with each {@code tolerance:maxIterations}, and the tune-half figures each model reaches.
	 */
	private void convergence(List<String> stops, double l2) {
		List<Example> examples = examples(Size.FULL);
		List<Asked> asked = asked();
		List<Scored> nearest = NearestNeighbour.score(examples, asked);
		say("| tolerance | max iterations | iterations | converged | training s | loss | tune ceiling % | tune acc + recall (p only) | tune acc at recall ≥ 60 % | report ceiling % |");
		say("|---|---|---|---|---|---|---|---|---|---|");
		for (String stop : stops) {
			String[] parts = stop.split(":");
			Settings settings = new Settings(l2, Integer.parseInt(parts[1]), Double.parseDouble(parts[0]), 1.0);
			AnswerModelTrainer.Trained trained = new AnswerModelTrainer(settings)
				.train(LocalEmbeddingProvider.BGE_SMALL_EN_V15_Q, examples, List.of());
			List<Scored> scored = score(trained.model(), asked, nearest);
			GapTuning.Thresholds none = new GapTuning.Thresholds(0, 0, -1);
			Choice sum = GapTuning.tune(scored, GapTuning.TUNE, PROBABILITY, Grid.OFF, Grid.OFF);
			Choice at60 = GapTuning.tune(scored, GapTuning.TUNE, PROBABILITY, Grid.OFF, Grid.OFF, GapTuning.ACCURACY_AT_RECALL_60);
			say(String.format("| %s | %s | %d | %s | %.1f | %.6f | %.2f | %.4f | %.2f | %.2f |", parts[0], parts[1],
					trained.iterations(), trained.converged(), trained.took().toMillis() / 1000.0, trained.loss(),
					100 * GapTuning.figures(scored, GapTuning.TUNE, none).inScopeAccuracy(), sum.onTune().criterion(),
					100 * at60.onTune().inScopeAccuracy(), 100 * GapTuning.figures(scored, GapTuning.REPORT, none).inScopeAccuracy()));
		}
	}

	private double chooseL2(String kb, String what, List<Example> examples, List<float[]> outOfScope, List<Asked> asked,
			List<Scored> nearest, Map<Double, List<Scored>> byL2) {
		double bestL2 = Double.NaN;
		double bestCriterion = Double.NEGATIVE_INFINITY;
		for (double l2 : L2_GRID) {
			AnswerModelTrainer.Trained trained = new AnswerModelTrainer(new Settings(l2, 300, 1e-5, 1.0))
				.train(this.embeddingModel, examples, outOfScope);
			List<Scored> scored = score(trained.model(), asked, nearest);
			byL2.put(l2, scored);
			Choice choice = GapTuning.tune(scored, GapTuning.TUNE, PROBABILITY, MARGIN, Grid.OFF);
			say(String.format("%s | %s | l2 %.0e: %d iterations, %.1f s, converged %s, tune accuracy without threshold %.1f %%, tune criterion %.4f",
					kb, what, l2, trained.iterations(), trained.took().toMillis() / 1000.0, trained.converged(),
					100 * GapTuning.figures(scored, GapTuning.TUNE, new GapTuning.Thresholds(0, 0, -1)).inScopeAccuracy(),
					choice.onTune().criterion()));
			if (choice.onTune().criterion() > bestCriterion + 1e-12) {
				bestCriterion = choice.onTune().criterion();
				bestL2 = l2;
			}
		}
		say(String.format("%s | %s | chosen l2 %.0e", kb, what, bestL2));
		return bestL2;
	}

	static List<Scored> score(AnswerModel model, List<Asked> asked, List<Scored> nearest) {
		List<Scored> scored = new ArrayList<>(asked.size());
		for (int i = 0; i < asked.size(); i++) {
			Asked q = asked.get(i);
			Prediction p = model.predict(q.vector());
			scored.add(new Scored(q.outOfScope(), q.half(), q.extraOutOfScope(),
					!q.outOfScope() && p.bestGroupId().equals(q.goldGroup()), p.bestProbability(), p.margin(),
					nearest.get(i).similarity()));
		}
		return scored;
	}

	private void row(String kb, String method, List<Scored> scored, Predicate<Scored> tuning, Grid probability,
			Grid margin, Grid similarity) {
		row(kb, method, scored, tuning, probability, margin, similarity, GapTuning.SUM);
	}

	private void row(String kb, String method, List<Scored> scored, Predicate<Scored> tuning, Grid probability,
			Grid margin, Grid similarity, ToDoubleFunction<Figures> objective) {
		Choice choice = GapTuning.tune(scored, tuning, probability, margin, similarity, objective);
		Figures report = GapTuning.figures(scored, GapTuning.REPORT, choice.thresholds());
		Figures ceiling = GapTuning.figures(scored, GapTuning.REPORT, new GapTuning.Thresholds(0, 0, -1));
		say(String.format("| %s | %s | %s | %d | p ≥ %.3f, margin ≥ %.2f, cos ≥ %.3f | %.4f | %.1f | **%.1f** | **%.1f** |",
				kb, method, objective == GapTuning.SUM ? "acc + recall" : "max acc at recall ≥ 60 %", choice.onTune().outOfScope(), choice.thresholds().probability(), choice.thresholds().margin(),
				choice.thresholds().similarity(), choice.onTune().criterion(), 100 * ceiling.inScopeAccuracy(),
				100 * report.inScopeAccuracy(), 100 * report.outOfScopeRecall()));
	}

	static float dot(float[] a, float[] b) {
		return (float) Vectors.dot(a, b);
	}

}
