package dev.clara.chat.passages;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The extractive answer from a passage when there is no LLM: the window of up to
 * {@link #SENTENCES} consecutive sentences that shares the most content words with the question
 * (ties: the earlier window), not the whole chunk.
 */
public final class SentenceWindow {

	static final int SENTENCES = 2;

	private static final Set<String> STOP_WORDS = Set.of("a", "an", "the", "is", "are", "was", "were", "be", "been",
			"do", "does", "did", "i", "you", "we", "it", "its", "of", "to", "in", "on", "at", "for", "by", "with",
			"and", "or", "what", "which", "who", "whom", "when", "where", "why", "how", "can", "could", "my", "your",
			"our", "me", "this", "that", "there", "from", "as", "about", "much", "many", "will", "would", "should",
			"have", "has", "had", "not", "no", "if", "so", "than", "then");

	private SentenceWindow() {
	}

	public static String best(String question, String passage) {
		List<String> sentences = sentences(passage);
		if (sentences.size() <= SENTENCES) {
			return String.join(" ", sentences);
		}
		Set<String> wanted = words(question);
		int bestStart = 0;
		int bestScore = -1;
		for (int start = 0; start + SENTENCES <= sentences.size(); start++) {
			Set<String> window = new HashSet<>();
			for (int i = start; i < start + SENTENCES; i++) {
				window.addAll(words(sentences.get(i)));
			}
			window.retainAll(wanted);
			if (window.size() > bestScore) {
				bestScore = window.size();
				bestStart = start;
			}
		}
		return String.join(" ", sentences.subList(bestStart, bestStart + SENTENCES));
	}

	static List<String> sentences(String text) {
		List<String> sentences = new ArrayList<>();
		BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ENGLISH);
		String flat = text.strip().replaceAll("\\s+", " ");
		iterator.setText(flat);
		int start = iterator.first();
		for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
			String sentence = flat.substring(start, end).strip();
			if (!sentence.isEmpty()) {
				sentences.add(sentence);
			}
		}
		return sentences;
	}

	/** Content words, lower-cased, with a crude plural and possessive folding. */
	static Set<String> words(String text) {
		Set<String> words = new HashSet<>();
		for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
			if (word.isEmpty() || STOP_WORDS.contains(word)) {
				continue;
			}
			words.add(word.length() > 3 && word.endsWith("s") ? word.substring(0, word.length() - 1) : word);
		}
		return words;
	}

}
