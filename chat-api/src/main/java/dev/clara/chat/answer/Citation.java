package dev.clara.chat.answer;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.clara.chat.passages.Passage;
import dev.clara.chat.search.Match;

/**
 * What an answer came from, as the visitor sees it under the reply: a Q&A pair (its question as
 * the title and the start of its answer), or a passage of a document (the document's title, its
 * id and chunk, the passage the answer rests on and its start as the snippet). {@code qa_id} is
 * null for a document, and {@code document_id}/{@code chunk_id}/{@code passage} are absent for a pair.
 */
public record Citation(UUID qaId, String title, String snippet,
		@JsonInclude(JsonInclude.Include.NON_NULL) UUID documentId,
		@JsonInclude(JsonInclude.Include.NON_NULL) UUID chunkId,
		@JsonInclude(JsonInclude.Include.NON_NULL) String passage) {

	static final int SNIPPET_LENGTH = 160;

	/** A pair's citation. */
	public Citation(UUID qaId, String title, String snippet) {
		this(qaId, title, snippet, null, null, null);
	}

	static Citation of(Match match) {
		return new Citation(match.id(), match.question(), snippet(match.answer()));
	}

	/** A document passage's citation; {@code passage} is what the answer rests on (a sentence window or the chunk). */
	static Citation of(Passage passage, String text) {
		return new Citation(null, passage.title(), snippet(text), passage.documentId(), passage.chunkId(), text);
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
