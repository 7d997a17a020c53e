package dev.clara.chat.answer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code [1]}, {@code [2, 3]} markers with which the LLM cites the numbered knowledge-base
 * entries of its prompt. A bracketed number followed by {@code (} is a Markdown link's text, not a
 * marker.
 */
final class CitationMarkers {

	private static final Pattern MARKER = Pattern.compile("[ \\t]*\\[(\\d{1,4}(?:\\s*,\\s*\\d{1,4})*)\\](?!\\()");

	private CitationMarkers() {
	}

	/** The entries the text cites, in the order first cited; numbers outside the list are ignored. */
	static <T> List<T> cited(String text, List<T> entries) {
		Set<T> cited = new LinkedHashSet<>();
		Matcher markers = MARKER.matcher(text);
		while (markers.find()) {
			for (String number : markers.group(1).split(",")) {
				int index = Integer.parseInt(number.strip()) - 1;
				if (index >= 0 && index < entries.size()) {
					cited.add(entries.get(index));
				}
			}
		}
		return List.copyOf(cited);
	}

	/** The text as the visitor reads it: the citations are listed under it, so the markers go. */
	static String removed(String text) {
		return MARKER.matcher(text).replaceAll("").strip();
	}

}
