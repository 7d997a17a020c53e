package dev.clara.evaluation;

import java.util.ArrayList;
import java.util.List;

import dev.clara.evaluation.AnswerModelExperiment.Asked;
import dev.clara.evaluation.GapTuning.Scored;
import dev.clara.shared.answers.AnswerModelTrainer.Example;

/** Top-1 cosine search over the pairs, exactly (as pgvector's exact search would rank them). */
final class NearestNeighbour {

	private NearestNeighbour() {
	}

	/** Each question's nearest pair: right when it is in the gold group; its similarity as confidence. */
	static List<Scored> score(List<Example> pairs, List<Asked> asked) {
		List<Scored> scored = new ArrayList<>(asked.size());
		for (Asked q : asked) {
			double best = Double.NEGATIVE_INFINITY;
			String group = null;
			for (Example pair : pairs) {
				double similarity = AnswerModelExperiment.dot(q.vector(), pair.vector());
				if (similarity > best) {
					best = similarity;
					group = pair.groupId();
				}
			}
			scored.add(new Scored(q.outOfScope(), q.half(), q.extraOutOfScope(),
					!q.outOfScope() && group.equals(q.goldGroup()), 1, 1, best));
		}
		return scored;
	}

}
