package dev.clara.chat.answering;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.clara.shared.answers.AnswerModel;

/**
 * A stored answer model as the chat turn uses it: the model, and which group each pair it was
 * trained on belonged to (a pair not in here, or in another group now, is newer than the model).
 */
record LoadedModel(int version, AnswerModel model, Map<UUID, String> groupOfPair, Map<String, List<UUID>> pairsOfGroup,
		int pairCount, int groupCount) {

	boolean saw(UUID pairId, String groupId) {
		return groupId.equals(this.groupOfPair.get(pairId));
	}

}
