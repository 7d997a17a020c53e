package dev.clara.chat.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A vote over the search's hits: pairs with the same answer are phrasings of one question, so the
 * answer whose hits weigh most in total wins, and its best hit moves to the front. The others keep
 * their order. The winner's similarity is then the turn's confidence, so confidence stays the
 * cosine similarity between the question and the pair that answers it.
 */
final class BestMatch {

	private BestMatch() {
	}

	/** A hit with the weight it votes with. */
	record Hit(Match match, double weight) {
	}

	/** The hits in search order, the winning answer's best hit first. */
	static List<Match> vote(List<Hit> hits) {
		if (hits.size() < 2) {
			return hits.stream().map(Hit::match).toList();
		}
		Map<String, Double> totals = new LinkedHashMap<>();
		Map<String, Integer> firstIndex = new LinkedHashMap<>();
		for (int i = 0; i < hits.size(); i++) {
			String key = answerKey(hits.get(i).match());
			totals.merge(key, hits.get(i).weight(), Double::sum);
			firstIndex.putIfAbsent(key, i);
		}
		String winner = null;
		for (Map.Entry<String, Double> total : totals.entrySet()) {
			// ties go to the answer found first (insertion order), so a tie never beats the top hit
			if (winner == null || total.getValue() > totals.get(winner)) {
				winner = total.getKey();
			}
		}
		int best = firstIndex.get(winner);
		List<Match> ordered = new ArrayList<>(hits.size());
		ordered.add(hits.get(best).match());
		for (int i = 0; i < hits.size(); i++) {
			if (i != best) {
				ordered.add(hits.get(i).match());
			}
		}
		return ordered;
	}

	/** Answers that differ only in case or spacing are one answer. */
	static String answerKey(Match match) {
		return match.answer() == null ? "" : match.answer().strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
	}

}
