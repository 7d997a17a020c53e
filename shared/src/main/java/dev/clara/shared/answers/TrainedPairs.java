package dev.clara.shared.answers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which pairs an answer model was trained on, by answer group, in the model's group order: the
 * stored form is {@code answer_models.groups}, {@code [{"group_id": "...", "pair_ids": ["..."]}]}.
 * A pair the model did not see in its current group is newer than the model.
 */
public final class TrainedPairs {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Map<String, List<UUID>> pairsOfGroup;

	private final Map<UUID, String> groupOfPair;

	public TrainedPairs(Map<String, List<UUID>> pairsOfGroup) {
		this.pairsOfGroup = new LinkedHashMap<>();
		this.groupOfPair = new HashMap<>();
		pairsOfGroup.forEach((group, pairs) -> {
			this.pairsOfGroup.put(group, List.copyOf(pairs));
			pairs.forEach(pair -> this.groupOfPair.put(pair, group));
		});
	}

	/** Whether the model was trained on {@code pairId} as a phrasing of {@code groupId}. */
	public boolean saw(UUID pairId, String groupId) {
		return groupId.equals(this.groupOfPair.get(pairId));
	}

	/** The pairs of a group the model was trained on (empty for a group it does not know). */
	public List<UUID> pairsOf(String groupId) {
		return this.pairsOfGroup.getOrDefault(groupId, List.of());
	}

	public String toJson() {
		List<Map<String, Object>> groups = new ArrayList<>();
		this.pairsOfGroup.forEach((group, pairs) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("group_id", group);
			entry.put("pair_ids", pairs.stream().map(UUID::toString).toList());
			groups.add(entry);
		});
		return JSON.writeValueAsString(groups);
	}

	public static TrainedPairs fromJson(String json) {
		Map<String, List<UUID>> pairsOfGroup = new LinkedHashMap<>();
		for (JsonNode group : JSON.readTree(json)) {
			List<UUID> pairs = new ArrayList<>();
			group.path("pair_ids").forEach(id -> pairs.add(UUID.fromString(id.asString())));
			pairsOfGroup.put(group.path("group_id").asString(), pairs);
		}
		return new TrainedPairs(pairsOfGroup);
	}

}
