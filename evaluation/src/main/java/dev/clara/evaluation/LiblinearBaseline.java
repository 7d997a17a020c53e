package dev.clara.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import dev.clara.evaluation.AnswerModelExperiment.Asked;
import dev.clara.evaluation.GapTuning.Scored;
import dev.clara.shared.answers.AnswerModelTrainer.Example;

/**
 * liblinear's L2-regularised logistic regression (one-vs-rest, probabilities normalised over the
 * classes), as the library alternative to the answer model's own multinomial learner. Its C is
 * set to {@code 1 / (l2 · n)}, the same penalty as the answer model's mean loss plus
 * {@code l2 / 2 · ‖W‖²} (liblinear also penalises the bias).
 */
final class LiblinearBaseline {

	private LiblinearBaseline() {
	}

	/** liblinear's model and the group of each of its labels. */
	record Trained(Model model, List<String> groups) {
	}

	static Trained train(List<Example> examples, double l2) {
		Map<String, Integer> labelOf = new LinkedHashMap<>();
		examples.forEach(e -> labelOf.putIfAbsent(e.groupId(), labelOf.size()));
		Problem problem = new Problem();
		problem.l = examples.size();
		problem.n = examples.get(0).vector().length + 1;
		problem.bias = 1;
		problem.x = new Feature[examples.size()][];
		problem.y = new double[examples.size()];
		for (int i = 0; i < examples.size(); i++) {
			problem.x[i] = features(examples.get(i).vector());
			problem.y[i] = labelOf.get(examples.get(i).groupId());
		}
		Linear.disableDebugOutput();
		Model model = Linear.train(problem, new Parameter(SolverType.L2R_LR, 1 / (l2 * examples.size()), 0.01));
		return new Trained(model, new ArrayList<>(labelOf.keySet()));
	}

	static List<Scored> score(List<Example> examples, List<Asked> asked, List<Scored> nearest, double l2) {
		Trained trained = train(examples, l2);
		Model model = trained.model();
		List<String> groups = trained.groups();
		int[] labels = model.getLabels();
		List<Scored> scored = new ArrayList<>(asked.size());
		double[] probabilities = new double[labels.length];
		for (int i = 0; i < asked.size(); i++) {
			Asked q = asked.get(i);
			int predicted = (int) Linear.predictProbability(model, features(q.vector()), probabilities);
			double best = 0;
			double second = 0;
			for (double p : probabilities) {
				if (p > best) {
					second = best;
					best = p;
				}
				else if (p > second) {
					second = p;
				}
			}
			boolean right = !q.outOfScope() && groups.get(predicted).equals(q.goldGroup());
			scored.add(new Scored(q.outOfScope(), q.half(), q.extraOutOfScope(), right, best, best - second,
					nearest.get(i).similarity()));
		}
		return scored;
	}

	static Feature[] features(float[] vector) {
		Feature[] features = new Feature[vector.length + 1];
		for (int d = 0; d < vector.length; d++) {
			features[d] = new FeatureNode(d + 1, vector[d]);
		}
		features[vector.length] = new FeatureNode(vector.length + 1, 1);
		return features;
	}

}
