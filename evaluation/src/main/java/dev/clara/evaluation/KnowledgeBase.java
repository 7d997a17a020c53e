package dev.clara.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Q&A pairs an evaluation workspace holds: CLINC150 training utterances as questions, an
 * answer naming the intent (so every paraphrase of one intent shares one answer, as an owner's
 * rephrasings of one question would), the intent's domain as category.
 */
final class KnowledgeBase {

	/** Which knowledge base. */
	enum Size {

		/** All 15,000 training utterances (100 per intent). */
		FULL,

		/** {@value #SMALL_PER_INTENT} training utterances per intent, drawn with a fixed seed. */
		SMALL;

		String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

		static Size of(String label) {
			return valueOf(label.toUpperCase(java.util.Locale.ROOT));
		}

	}

	static final int SMALL_PER_INTENT = 5;

	static final long SMALL_SEED = 20_191_103L;

	private static final Pattern INTENT_IN_ANSWER = Pattern.compile("\\(intent ([a-z0-9_]+)\\)");

	/** One Q&A pair to import. */
	record Pair(String question, String answer, String category, String intent) {
	}

	private KnowledgeBase() {
	}

	static List<Pair> of(Clinc150 clinc, Size size) {
		return size == Size.SMALL ? perIntent(clinc, SMALL_PER_INTENT) : perIntent(clinc, Integer.MAX_VALUE);
	}

	/**
	 * The first {@code perIntent} training utterances of each intent in the small knowledge base's
	 * seeded order: every intent is shuffled whatever the count, so 1, 2 and 3 per intent are
	 * nested in the small knowledge base; {@link Integer#MAX_VALUE} keeps every utterance in file order.
	 */
	static List<Pair> perIntent(Clinc150 clinc, int perIntent) {
		Map<String, List<Clinc150.Utterance>> byIntent = new TreeMap<>();
		clinc.train().forEach(u -> byIntent.computeIfAbsent(u.intent(), i -> new ArrayList<>()).add(u));
		Random random = new Random(SMALL_SEED);
		List<Pair> pairs = new ArrayList<>();
		byIntent.forEach((intent, utterances) -> {
			List<Clinc150.Utterance> chosen = utterances;
			if (perIntent < Integer.MAX_VALUE) {
				List<Clinc150.Utterance> shuffled = new ArrayList<>(utterances);
				Collections.shuffle(shuffled, random);
				chosen = shuffled.subList(0, Math.min(perIntent, shuffled.size()));
			}
			for (Clinc150.Utterance u : chosen) {
				pairs.add(new Pair(u.text(), answerFor(intent), clinc.domainOf().get(intent), intent));
			}
		});
		return List.copyOf(pairs);
	}

	/** The answer text of an intent: readable, and naming the intent so a match maps back to it. */
	static String answerFor(String intent) {
		return "This is the answer about " + intent.replace('_', ' ') + " (intent " + intent + ").";
	}

	/** The intent an answer text names, if it is one of ours. */
	static Optional<String> intentOf(String answer) {
		Matcher m = INTENT_IN_ANSWER.matcher(answer == null ? "" : answer);
		return m.find() ? Optional.of(m.group(1)) : Optional.empty();
	}

}
