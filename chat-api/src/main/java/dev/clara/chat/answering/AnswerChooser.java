package dev.clara.chat.answering;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.clara.chat.search.Match;
import dev.clara.chat.workspace.WorkspaceSettings;
import dev.clara.shared.answers.AnswerDecision;
import dev.clara.shared.answers.AnswerDecision.Decision;
import dev.clara.shared.answers.AnswerDecision.Neighbour;
import dev.clara.shared.answers.AnswerGroups;
import dev.clara.shared.answers.Prediction;

import org.springframework.stereotype.Component;

/**
 * Chooses the answer of a chat turn: the workspace's answer model (when it has one that applies)
 * and the search's nearest pair go into the one {@link AnswerDecision}; the answer is the chosen
 * group's pair most similar to the question, and the matches are reordered so the group's pairs
 * come first.
 */
@Component
public class AnswerChooser {

	/**
	 * @param decision the decision, with the calibrated confidence
	 * @param matches the search's matches, the chosen group's pairs first (the best of them first)
	 * @param answered the pair whose answer is given, null for a gap
	 */
	public record Choice(Decision decision, List<Match> matches, Match answered) {

		public boolean gap() {
			return this.answered == null;
		}

	}

	private final AnswerModelCache models;

	private final AnswerModelRepository repository;

	AnswerChooser(AnswerModelCache models, AnswerModelRepository repository) {
		this.models = models;
		this.repository = repository;
	}

	public Choice choose(WorkspaceSettings settings, float[] question, List<Match> matches) {
		Optional<LoadedModel> model = model(settings);
		Optional<Neighbour> nearest = matches.stream().findFirst().map(match -> {
			String group = AnswerGroups.groupId(match.answer());
			return new Neighbour(group, match.similarity(), model.map(m -> m.pairs().saw(match.id(), group)).orElse(false));
		});
		Optional<Prediction> prediction = model.map(m -> m.model().predict(question));
		Decision decision = AnswerDecision.decide(prediction, nearest, settings.policy());
		if (decision.gap()) {
			return new Choice(decision, matches, null);
		}
		String group = decision.groupId().get();
		List<Match> first = new ArrayList<>();
		List<Match> rest = new ArrayList<>();
		matches.forEach(match -> (AnswerGroups.groupId(match.answer()).equals(group) ? first : rest).add(match));
		if (first.isEmpty()) {
			// the model chose a group the search did not return: fetch its best pair (rare, one query)
			Optional<Match> best = this.repository.bestOf(settings.workspaceId(), model.get().pairs().pairsOf(group),
					question, settings.searchModel());
			if (best.isEmpty()) {
				// every pair of the group was deactivated since training: the nearest pair decides alone
				Decision alone = AnswerDecision.decide(Optional.empty(), nearest, settings.policy());
				return alone.gap() ? new Choice(alone, matches, null) : new Choice(alone, matches, matches.get(0));
			}
			first.add(best.get());
		}
		List<Match> ordered = new ArrayList<>(first);
		ordered.addAll(rest);
		return new Choice(decision, List.copyOf(ordered), first.get(0));
	}

	private Optional<LoadedModel> model(WorkspaceSettings settings) {
		if (settings.answerModelVersion() == null || !settings.policy().usesModel()) {
			return Optional.empty();
		}
		return this.models.get(settings.workspaceId(), settings.answerModelVersion(), settings.searchModel())
			.filter(m -> AnswerDecision.modelApplies(m.pairCount(), m.groupCount()));
	}

}
