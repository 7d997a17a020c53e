package dev.clara.gaps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.clara.gaps.DecisionRepository.GapByPair;
import dev.clara.gaps.DecisionRepository.NearestPair;
import dev.clara.gaps.DecisionRepository.StoredModel;
import dev.clara.gaps.GapRepository.Thresholds;
import dev.clara.shared.answers.AnswerDecision;
import dev.clara.shared.answers.AnswerDecision.Decision;
import dev.clara.shared.answers.AnswerDecision.Neighbour;
import dev.clara.shared.answers.AnswerGroups;
import dev.clara.shared.answers.Prediction;

import org.springframework.stereotype.Component;

/**
 * "Would this gap's question now be answered, and by which pair?", asked exactly as the chat turn
 * asks it (chat-api's AnswerChooser): the workspace's newest answer model of the embedding model
 * (when the model is calibrated for it and {@link AnswerDecision#modelApplies} holds) and the
 * search's nearest pair go into {@link AnswerDecision#decide} with the workspace's policy. So a
 * gap closes exactly when the chat would now answer its question, never at a threshold of its own.
 */
@Component
class GapDecisions {

	/**
	 * Workspaces whose answer model is kept in memory. Pair events come in bursts per workspace
	 * (an import, an owner resolving a group), so a few are enough to read each model once per
	 * burst instead of once per event; the bound keeps the memory of many large models in check.
	 */
	static final int CACHED_WORKSPACES = 16;

	private record Cached(int version, String embeddingModel, Optional<StoredModel> model) {
	}

	private final DecisionRepository repository;

	private final Map<UUID, Cached> models = new LinkedHashMap<>(16, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<UUID, Cached> eldest) {
			return size() > CACHED_WORKSPACES;
		}
	};

	GapDecisions(DecisionRepository repository) {
		this.repository = repository;
	}

	/**
	 * The pair the chat would now answer this question with, if it would answer: the nearest pair
	 * when the decided group is its group; when the model chose another group, that group's most
	 * similar active pair, as the chat turn does (and, when none of its pairs is active any more,
	 * the nearest pair deciding alone, as the chat turn falls back).
	 */
	Optional<UUID> answer(UUID workspaceId, String embeddingModel, Thresholds thresholds, float[] question) {
		Optional<StoredModel> model = model(workspaceId, embeddingModel, thresholds);
		Optional<NearestPair> nearest = this.repository.nearest(workspaceId, question, thresholds.searchFloor(),
				embeddingModel);
		Optional<Neighbour> neighbour = nearest.map(pair -> neighbour(pair.id(), pair.answer(), pair.similarity(), model));
		Decision decision = AnswerDecision.decide(model.map(m -> m.model().predict(question)), neighbour,
				thresholds.policy());
		if (decision.gap()) {
			return Optional.empty();
		}
		String group = decision.groupId().get();
		if (neighbour.isPresent() && neighbour.get().groupId().equals(group)) {
			return nearest.map(NearestPair::id);
		}
		Optional<UUID> best = this.repository.bestOf(workspaceId, model.get().pairs().pairsOf(group), question,
				embeddingModel);
		if (best.isPresent()) {
			return best;
		}
		Decision alone = AnswerDecision.decide(Optional.empty(), neighbour, thresholds.policy());
		return alone.gap() ? Optional.empty() : nearest.map(NearestPair::id);
	}

	/**
	 * The open gaps of the workspace the chat would now answer with the pair's answer group, the
	 * pair being their nearest. First, without any search, the decision is asked for every open gap
	 * as it would be if this pair were the gap's nearest (its similarity is one distance per gap);
	 * then only the gaps it answers with the pair's group are searched, and kept when the pair is
	 * indeed their nearest, so the decision that counted is the one the chat would make. A gap
	 * whose nearest is another pair (of this group or not) is not this pair's to close: its decision
	 * did not change with this pair.
	 */
	List<UUID> answeredByPair(UUID pairId, String answer, UUID workspaceId, String embeddingModel,
			Thresholds thresholds) {
		Optional<StoredModel> model = model(workspaceId, embeddingModel, thresholds);
		String group = AnswerGroups.groupId(answer);
		List<UUID> candidates = new ArrayList<>();
		for (GapByPair gap : this.repository.openGapsByPair(pairId, workspaceId, embeddingModel, model.isPresent())) {
			// a pair at or below the search floor is no match of the chat's search, so never the nearest
			if (gap.similarity() <= thresholds.searchFloor()) {
				continue;
			}
			Optional<Prediction> prediction = model.map(m -> m.model().predict(gap.vector()));
			Decision decision = AnswerDecision.decide(prediction,
					Optional.of(neighbour(pairId, answer, gap.similarity(), model)), thresholds.policy());
			if (decision.groupId().filter(group::equals).isPresent()) {
				candidates.add(gap.id());
			}
		}
		return this.repository.nearestIs(pairId, candidates, workspaceId, thresholds.searchFloor(), embeddingModel);
	}

	private static Neighbour neighbour(UUID pairId, String answer, double similarity, Optional<StoredModel> model) {
		String group = AnswerGroups.groupId(answer);
		return new Neighbour(group, similarity, model.map(m -> m.pairs().saw(pairId, group)).orElse(false));
	}

	/**
	 * The answer model the chat turn would use: the newest version of this embedding model, only
	 * when the policy calibrates the model for it and the model is large enough to decide.
	 */
	private Optional<StoredModel> model(UUID workspaceId, String embeddingModel, Thresholds thresholds) {
		Integer version = thresholds.answerModelVersion();
		if (version == null || !thresholds.policy().usesModel()) {
			return Optional.empty();
		}
		return stored(workspaceId, version, embeddingModel)
			.filter(m -> AnswerDecision.modelApplies(m.pairCount(), m.groupCount()));
	}

	private Optional<StoredModel> stored(UUID workspaceId, int version, String embeddingModel) {
		synchronized (this.models) {
			Cached cached = this.models.get(workspaceId);
			if (cached != null && cached.version() == version && cached.embeddingModel().equals(embeddingModel)) {
				return cached.model();
			}
		}
		// read outside the lock: another workspace's event does not wait for this one's model
		Optional<StoredModel> loaded = this.repository.answerModel(workspaceId, version, embeddingModel);
		synchronized (this.models) {
			this.models.put(workspaceId, new Cached(version, embeddingModel, loaded));
		}
		return loaded;
	}

}
