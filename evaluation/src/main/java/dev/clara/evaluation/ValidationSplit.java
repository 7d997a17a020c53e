package dev.clara.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The questions asked: every validation utterance (val and oos_val), each in one of two halves
 * stratified by intent (out-of-scope counted as one intent) with a fixed seed. Thresholds and the
 * configuration are chosen on {@link Half#TUNE}; figures are reported on {@link Half#REPORT}.
 */
final class ValidationSplit {

	static final long SEED = 9L;

	enum Half {

		TUNE, REPORT;

		String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/** A validation question, its gold intent ({@code oos} when out of scope) and its half. */
	record Question(String text, String gold, Half half) {

		boolean outOfScope() {
			return Clinc150.OUT_OF_SCOPE.equals(this.gold);
		}

	}

	private ValidationSplit() {
	}

	static List<Question> of(Clinc150 clinc) {
		Map<String, List<Clinc150.Utterance>> byIntent = new TreeMap<>();
		clinc.val().forEach(u -> byIntent.computeIfAbsent(u.intent(), i -> new ArrayList<>()).add(u));
		clinc.oosVal().forEach(u -> byIntent.computeIfAbsent(u.intent(), i -> new ArrayList<>()).add(u));
		Random random = new Random(SEED);
		List<Question> questions = new ArrayList<>();
		byIntent.forEach((intent, utterances) -> {
			List<Clinc150.Utterance> shuffled = new ArrayList<>(utterances);
			Collections.shuffle(shuffled, random);
			int tune = shuffled.size() / 2;
			for (int i = 0; i < shuffled.size(); i++) {
				questions.add(new Question(shuffled.get(i).text(), intent, i < tune ? Half.TUNE : Half.REPORT));
			}
		});
		return List.copyOf(questions);
	}

}
