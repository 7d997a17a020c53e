package dev.clara.chat.answer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.clara.chat.search.Match;

/**
 * Chips under an answer: the other questions the search matched (what the visitor may mean next),
 * then the workspace's suggested messages, never the question just asked or the one answered.
 */
public final class SuggestionChips {

	private SuggestionChips() {
	}

	public static List<String> choose(String asked, List<Match> matches, Match answered, List<String> suggested,
			int max) {
		Set<String> seen = new LinkedHashSet<>();
		seen.add(key(asked));
		if (answered != null) {
			seen.add(key(answered.question()));
		}
		Set<String> chips = new LinkedHashSet<>();
		for (Match match : matches) {
			if (chips.size() < max && seen.add(key(match.question()))) {
				chips.add(match.question());
			}
		}
		for (String message : suggested) {
			if (chips.size() < max && seen.add(key(message))) {
				chips.add(message);
			}
		}
		return List.copyOf(chips);
	}

	private static String key(String text) {
		return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
	}

}
