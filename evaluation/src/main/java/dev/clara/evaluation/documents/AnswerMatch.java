package dev.clara.evaluation.documents;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a passage contains a gold answer: both normalised (Unicode compatibility forms, lower
 * case, punctuation and symbols removed, runs of white space as one space), then the answer
 * looked for as whole words, so "1,000" finds "1000" and "art" does not find "start".
 */
final class AnswerMatch {

	private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}\\p{S}]");

	private static final Pattern SPACE = Pattern.compile("\\s+");

	private AnswerMatch() {
	}

	static String normalise(String text) {
		String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
		return SPACE.matcher(PUNCTUATION.matcher(folded).replaceAll("")).replaceAll(" ").strip();
	}

	/** Whether the passage contains any of the answers; never for no answers or a blank answer. */
	static boolean contains(String passage, List<String> answers) {
		if (passage == null) {
			return false;
		}
		String haystack = " " + normalise(passage) + " ";
		for (String answer : answers) {
			String needle = normalise(answer);
			if (!needle.isEmpty() && haystack.contains(" " + needle + " ")) {
				return true;
			}
		}
		return false;
	}

}
