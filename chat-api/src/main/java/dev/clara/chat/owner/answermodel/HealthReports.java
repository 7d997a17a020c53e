package dev.clara.chat.owner.answermodel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.owner.answermodel.OwnerAnswerModelRepository.Pair;
import dev.clara.chat.owner.answermodel.OwnerAnswerModelRepository.StoredHealth;
import dev.clara.shared.answers.AnswerDecision;
import dev.clara.shared.answers.TrainedPairs;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The knowledge-base health of the newest answer model, for people: the trainer stores groups as
 * hex ids, which say nothing to an owner, so each group comes with a representative pair (its
 * first pair still in the knowledge base, read under row-level security) and each misplaced pair
 * with its question. The stored report is read field by field and leniently: a report this
 * version does not understand shows less, it never fails the request.
 */
@Component
class HealthReports {

	/** Most confused groups and misplaced pairs shown: a report is read by a person, not paged. */
	static final int MAX_ITEMS = 100;

	/**
	 * Pairs of a group tried as its representative: the trainer's groups are recent, so the first
	 * pairs nearly always exist, and a group of thousands of pairs is not sent to the database whole.
	 */
	static final int CANDIDATES_PER_GROUP = 50;

	private final OwnerAnswerModelRepository models;

	private final JsonMapper json;

	HealthReports(OwnerAnswerModelRepository models, JsonMapper json) {
		this.models = models;
		this.json = json;
	}

	/**
	 * @param modelVersion the newest model's version, null when there is none
	 * @param health the report, null when there is none (see {@code reason})
	 * @param reason why there is no report: {@code no_model}, {@code too_few_pairs} or
	 * {@code not_computed}; null when there is one
	 * @param message the reason in a sentence
	 */
	record View(Integer modelVersion, Report health, String reason, String message) {
	}

	record Report(Integer folds, Double accuracy, Integer checkedPairs, Integer singlePhrasingGroups,
			List<Confusion> confusedGroups, int confusedGroupsTotal, List<Misplaced> misplacedPairs,
			int misplacedPairsTotal) {
	}

	/**
	 * An answer group: its id, how many pairs the model saw in it, and the pair shown for it (null
	 * when none of them is left).
	 */
	record Group(String groupId, int pairCount, Pair representative) {
	}

	/** Two groups the cross-validation mixed up: candidates to merge or to reword. */
	record Confusion(Group groupA, Group groupB, Integer aAsB, Integer bAsA) {
	}

	/**
	 * A pair the cross-validation put in another group: its question (null when the pair was
	 * deleted since) reads like that group's answer.
	 */
	record Misplaced(UUID qaPairId, String question, Boolean isActive, Group group, Group predictedGroup,
			Double probability) {
	}

	/** The newest model's report, inside {@code OwnerDb.as}. */
	View read(JdbcClient sql) {
		StoredHealth stored = this.models.newestHealth(sql).orElse(null);
		if (stored == null) {
			return new View(null, null, "no_model",
					"No answer model has been trained yet: one is trained once the knowledge base has embedded Q&A pairs.");
		}
		JsonNode health = readTree(stored.health());
		if (health == null || !health.isObject()) {
			if (!AnswerDecision.modelApplies(stored.pairCount(), stored.groupCount())) {
				return new View(stored.version(), null, "too_few_pairs",
						"The knowledge base is too small to check: it needs at least two different answers, each asked in two or more ways.");
			}
			return new View(stored.version(), null, "not_computed",
					"The health check of this model has not run yet; it runs after training.");
		}
		TrainedPairs trained = trainedPairs(stored.groups());
		List<JsonNode> confusions = items(health.get("confused_groups"));
		List<JsonNode> misplaced = items(health.get("misplaced_pairs"));

		Set<String> groupIds = new LinkedHashSet<>();
		confusions.forEach(c -> {
			groupIds.add(text(c, "group_a"));
			groupIds.add(text(c, "group_b"));
		});
		misplaced.forEach(m -> {
			groupIds.add(text(m, "group"));
			groupIds.add(text(m, "predicted_group"));
		});
		groupIds.remove(null);
		Map<String, List<UUID>> candidates = new LinkedHashMap<>();
		groupIds.forEach(group -> {
			List<UUID> pairs = trained.pairsOf(group);
			candidates.put(group, pairs.subList(0, Math.min(pairs.size(), CANDIDATES_PER_GROUP)));
		});
		Map<String, Pair> representatives = this.models.firstExisting(sql, candidates);
		Set<UUID> misplacedIds = new LinkedHashSet<>();
		misplaced.forEach(m -> misplacedIds.add(uuid(m, "qa_pair_id")));
		misplacedIds.remove(null);
		Map<UUID, Pair> pairs = this.models.pairs(sql, misplacedIds);

		List<Confusion> confused = new ArrayList<>();
		for (JsonNode c : confusions) {
			confused.add(new Confusion(group(text(c, "group_a"), trained, representatives),
					group(text(c, "group_b"), trained, representatives), integer(c, "a_as_b"), integer(c, "b_as_a")));
		}
		List<Misplaced> placed = new ArrayList<>();
		for (JsonNode m : misplaced) {
			Pair pair = pairs.get(uuid(m, "qa_pair_id"));
			placed.add(new Misplaced(uuid(m, "qa_pair_id"), pair == null ? null : pair.question(),
					pair == null ? null : pair.isActive(), group(text(m, "group"), trained, representatives),
					group(text(m, "predicted_group"), trained, representatives), number(m, "probability")));
		}
		return new View(stored.version(),
				new Report(integer(health, "folds"), number(health, "accuracy"), integer(health, "checked_pairs"),
						integer(health, "single_phrasing_groups"), confused, size(health.get("confused_groups")), placed,
						size(health.get("misplaced_pairs"))),
				null, null);
	}

	private static Group group(String id, TrainedPairs trained, Map<String, Pair> representatives) {
		return id == null ? null : new Group(id, trained.pairsOf(id).size(), representatives.get(id));
	}

	private JsonNode readTree(String text) {
		if (text == null) {
			return null;
		}
		try {
			return this.json.readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static TrainedPairs trainedPairs(String groups) {
		try {
			return TrainedPairs.fromJson(groups);
		}
		catch (RuntimeException ex) {
			// a groups column this version cannot read: groups are shown without their pairs
			return new TrainedPairs(Map.of());
		}
	}

	/** The first {@link #MAX_ITEMS} objects of an array (anything else: none). */
	private static List<JsonNode> items(JsonNode array) {
		List<JsonNode> items = new ArrayList<>();
		if (array != null && array.isArray()) {
			for (JsonNode item : array) {
				if (items.size() == MAX_ITEMS) {
					break;
				}
				if (item.isObject()) {
					items.add(item);
				}
			}
		}
		return items;
	}

	private static int size(JsonNode array) {
		return (array != null && array.isArray()) ? array.size() : 0;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private static UUID uuid(JsonNode node, String field) {
		String text = text(node, field);
		try {
			return (text == null || text.length() != 36) ? null : UUID.fromString(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static Integer integer(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isIntegralNumber() && value.canConvertToInt()) ? value.asInt() : null;
	}

	private static Double number(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isNumber()) ? value.asDouble() : null;
	}

}
