package dev.clara.shared.embedding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * A text's token ids as the model reads them: one window of at most {@value #MAX_WINDOW} word
 * pieces between {@code [CLS]} and {@code [SEP]}, or several for a longer text (their vectors are
 * averaged, weighted by their length).
 *
 * <p>This reproduces, token for token, what LangChain4j's {@code OnnxBertBiEncoder} fed the model
 * (the vectors stored before this class existed were made that way, and must not move): split the
 * word pieces into windows that never cut a word, turn each window back into text and encode that
 * text. Re-encoding gives the same pieces whenever the decoded text tokenises back to them, so then
 * the ids of the first encoding are used as they are (one tokeniser call instead of three); when it
 * does not (rare), the window's pieces are joined and encoded, exactly as LangChain4j did.
 */
final class WordPieceWindows {

	/** 512 positions less {@code [CLS]} and {@code [SEP]}. */
	static final int MAX_WINDOW = 510;

	private WordPieceWindows() {
	}

	/** One window: the ids with {@code [CLS]} and {@code [SEP]}, and its weight (word pieces). */
	record Window(long[] ids, int weight) {
	}

	/** @throws IllegalArgumentException when the text has no word pieces (only control characters, say) */
	static List<Window> of(HuggingFaceTokenizer tokenizer, String text) {
		Encoding encoding = tokenizer.encode(text);
		String[] tokens = encoding.getTokens();
		long[] ids = encoding.getIds();
		List<Window> windows = new ArrayList<>(1);
		int from = 1; // after [CLS]
		int last = tokens.length - 1; // [SEP]
		while (from < last) {
			int to = from + MAX_WINDOW;
			if (to >= last) {
				to = last;
			}
			else {
				while (tokens[to].startsWith("##")) { // never cut a word in two
					to--;
				}
			}
			windows.add(window(tokenizer, tokens, ids, from, to));
			from = to;
		}
		if (windows.isEmpty()) {
			throw new IllegalArgumentException("the text has no word pieces to embed");
		}
		return windows;
	}

	private static Window window(HuggingFaceTokenizer tokenizer, String[] tokens, long[] ids, int from, int to) {
		List<String> pieces = Arrays.asList(tokens).subList(from, to);
		List<String> again = tokenizer.tokenize(tokenizer.buildSentence(pieces));
		long[] windowIds;
		if (again.size() == pieces.size() + 2 && again.subList(1, again.size() - 1).equals(pieces)) {
			windowIds = new long[pieces.size() + 2];
			windowIds[0] = ids[0];
			System.arraycopy(ids, from, windowIds, 1, pieces.size());
			windowIds[windowIds.length - 1] = ids[ids.length - 1];
		}
		else {
			windowIds = tokenizer.encode(String.join("", pieces)).getIds();
		}
		return new Window(windowIds, pieces.size());
	}

}
