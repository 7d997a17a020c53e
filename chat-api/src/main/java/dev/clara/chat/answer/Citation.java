package dev.clara.chat.answer;

import java.util.UUID;

import dev.clara.chat.search.Match;

/**
 * A Q&A pair an answer came from, as the visitor sees it under the reply: the pair's question as
 * its title and the start of its answer.
 */
public record Citation(UUID qaId, String title, String snippet) {

	static final int SNIPPET_LENGTH = 160;

	static Citation of(Match match) {
		return new Citation(match.id(), match.question(), snippet(match.answer()));
	}

	/** The text's start, at most {@link #SNIPPET_LENGTH} characters, cut between words and marked with an ellipsis. */
	static String snippet(String text) {
		String flat = text.strip().replaceAll("\\s+", " ");
		if (flat.length() <= SNIPPET_LENGTH) {
			return flat;
		}
		String cut = flat.substring(0, SNIPPET_LENGTH - 1);
		int lastSpace = cut.lastIndexOf(' ');
		// one long word (a URL) is cut where it is rather than dropped whole
		return (lastSpace > SNIPPET_LENGTH / 2 ? cut.substring(0, lastSpace) : cut).stripTrailing() + "…";
	}

}
