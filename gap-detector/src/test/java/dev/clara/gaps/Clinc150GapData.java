package dev.clara.gaps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CLINC150 split the way {@link Clinc150GapEvaluation} uses it: the intents shuffled (fixed seed),
 * {@code --left-out} of them kept out of the knowledge base, which gets {@code --kb-per-intent}
 * training utterances of every other intent; the next {@code --fix-per-intent} training utterances
 * of each left-out intent are the pairs added later as fixes; every validation utterance and
 * out-of-scope validation query is a question to ask, in a shuffled order. Every intent (and
 * out-of-scope query) belongs to the "tune" or the "report" half.
 *
 * @param leftOut the intents without pairs in the knowledge base
 * @param known the intents with pairs in the knowledge base
 * @param questions the questions to ask, shuffled
 * @param kb the knowledge base's utterances
 * @param fixes the left-out intents' utterances added later, shuffled
 * @param validationUtterances how many of the questions are validation utterances
 * @param outOfScopeQueries how many of the questions are out-of-scope queries
 */
record Clinc150GapData(List<String> leftOut, List<String> known, List<Item> questions, List<Item> kb,
		List<Item> fixes, int validationUtterances, int outOfScopeQueries) {

	/** One utterance, with its intent ({@code oos} queries get a unique label) and its half. */
	record Item(String text, String intent, boolean tune) {
	}

	/** {@code -Dclara.clinc150=FILE}, else the shared data folder beside the checkout (from its root or a module). */
	static Path file() {
		String configured = System.getProperty("clara.clinc150", System.getenv("CLARA_CLINC150"));
		if (configured != null) {
			return Path.of(configured);
		}
		for (String candidate : List.of("../shared/data/clinc150/clinc150_train_val.json",
				"../../shared/data/clinc150/clinc150_train_val.json")) {
			if (Files.isRegularFile(Path.of(candidate))) {
				return Path.of(candidate);
			}
		}
		throw new IllegalStateException("CLINC150 not found: pass -Dclara.clinc150=.../clinc150_train_val.json");
	}

	/**
	 * Reads and splits {@link #file()}. One {@link Random} of the seed shuffles, in this order, the
	 * intents, each intent's training utterances, the questions and the fixes: the same seed gives
	 * the same split.
	 */
	static Clinc150GapData load(Clinc150GapEvaluation.Options options) {
		JsonNode data = JsonMapper.builder().build().readTree(file().toFile());
		Random random = new Random(options.seed());
		List<String> intents = new ArrayList<>(new java.util.TreeSet<>(intents(data.get("train"))));
		Collections.shuffle(intents, random);
		List<String> leftOut = intents.subList(0, options.leftOut());
		List<String> known = intents.subList(options.leftOut(), intents.size());
		Set<String> tuneIntents = new LinkedHashSet<>();
		for (List<String> part : List.of(leftOut, known)) {
			for (int i = 0; i < part.size(); i += 2) {
				tuneIntents.add(part.get(i));
			}
		}
		Map<String, List<String>> train = byIntent(data.get("train"));
		train.values().forEach(list -> Collections.shuffle(list, random));
		List<Item> questions = new ArrayList<>();
		for (JsonNode row : data.get("val")) {
			String intent = row.get(1).stringValue();
			questions.add(new Item(row.get(0).stringValue(), intent, tuneIntents.contains(intent)));
		}
		int oos = 0;
		for (JsonNode row : data.get("oos_val")) {
			questions.add(new Item(row.get(0).stringValue(), "oos#" + oos, oos % 2 == 0));
			oos++;
		}
		Collections.shuffle(questions, random);

		// knowledge base and fixes: the first kb-per-intent training utterances of each known intent,
		// the next fix-per-intent of each left-out intent
		List<Item> kb = new ArrayList<>();
		for (String intent : known) {
			train.get(intent).stream().limit(options.kbPerIntent()).forEach(t -> kb.add(new Item(t, intent, false)));
		}
		List<Item> fixes = new ArrayList<>();
		for (String intent : leftOut) {
			train.get(intent).stream().limit(options.fixPerIntent()).forEach(t -> fixes.add(new Item(t, intent, false)));
		}
		Collections.shuffle(fixes, random);
		return new Clinc150GapData(leftOut, known, questions, kb, fixes, data.get("val").size(), oos);
	}

	private static Set<String> intents(JsonNode rows) {
		Set<String> intents = new LinkedHashSet<>();
		rows.forEach(row -> intents.add(row.get(1).stringValue()));
		return intents;
	}

	private static Map<String, List<String>> byIntent(JsonNode rows) {
		Map<String, List<String>> byIntent = new java.util.TreeMap<>();
		rows.forEach(row -> byIntent.computeIfAbsent(row.get(1).stringValue(), k -> new ArrayList<>())
			.add(row.get(0).stringValue()));
		return byIntent;
	}

}
