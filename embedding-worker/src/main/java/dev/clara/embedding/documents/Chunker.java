package dev.clara.embedding.documents;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits extracted text (headings as {@code #} lines, paragraphs separated by blank lines) into
 * chunks that respect its structure: a chunk never spans two sections (a heading starts a new
 * one), ends at a sentence boundary, aims at {@code targetChars} and repeats the last sentences
 * of the previous chunk of its section, up to {@code overlapChars}, so a passage cut at a chunk's
 * end is whole in the next. A sentence longer than a chunk is cut at word boundaries. Each chunk
 * knows its section's heading path ("Returns › Refunds"). Deterministic: the same text gives the
 * same chunks, so a restarted ingestion writes each chunk once.
 */
final class Chunker {

	private static final Pattern HEADING = Pattern.compile("(#{1,6}) (.+)");

	private final int targetChars;

	private final int overlapChars;

	Chunker(int targetChars, int overlapChars) {
		if (targetChars < 100 || overlapChars < 0 || overlapChars >= targetChars / 2) {
			throw new IllegalArgumentException("chunks of at least 100 characters, overlap under half a chunk");
		}
		this.targetChars = targetChars;
		this.overlapChars = overlapChars;
	}

	/** A chunk: its text and the heading path of its section (empty before the first heading). */
	record Chunk(String content, String heading) {
	}

	List<Chunk> split(String text) {
		List<Chunk> chunks = new ArrayList<>();
		String[] headings = new String[6];
		List<String> sentences = new ArrayList<>();
		for (String block : text.split("\\n\\s*\\n")) {
			String stripped = block.strip();
			if (stripped.isEmpty()) {
				continue;
			}
			Matcher heading = HEADING.matcher(stripped);
			if (heading.matches() && !stripped.contains("\n")) {
				section(sentences, path(headings), chunks);
				sentences.clear();
				int level = heading.group(1).length();
				headings[level - 1] = heading.group(2).strip();
				java.util.Arrays.fill(headings, level, headings.length, null);
				continue;
			}
			sentences.addAll(sentences(stripped.replaceAll("\\s+", " ")));
		}
		section(sentences, path(headings), chunks);
		return chunks;
	}

	private static String path(String[] headings) {
		return String.join(" › ", java.util.Arrays.stream(headings).filter(h -> h != null).toList());
	}

	/** The sentences of one section → chunks, each overlapping the previous by whole sentences. */
	private void section(List<String> sentences, String heading, List<Chunk> chunks) {
		List<String> current = new ArrayList<>();
		int length = 0;
		int fresh = 0;
		for (String sentence : sentences) {
			if (length > 0 && length + 1 + sentence.length() > this.targetChars && fresh > 0) {
				chunks.add(new Chunk(String.join(" ", current), heading));
				List<String> overlap = overlap(current);
				current = new ArrayList<>(overlap);
				length = String.join(" ", current).length();
				fresh = 0;
			}
			current.add(sentence);
			length += (length == 0 ? 0 : 1) + sentence.length();
			fresh++;
		}
		if (fresh > 0) {
			chunks.add(new Chunk(String.join(" ", current), heading));
		}
	}

	/** The last sentences of a chunk that fit in the overlap (none if the last alone is longer). */
	private List<String> overlap(List<String> chunk) {
		List<String> overlap = new ArrayList<>();
		int length = 0;
		for (int i = chunk.size() - 1; i >= 0; i--) {
			int next = length + (length == 0 ? 0 : 1) + chunk.get(i).length();
			if (next > this.overlapChars) {
				break;
			}
			overlap.add(0, chunk.get(i));
			length = next;
		}
		return overlap;
	}

	/** Sentences by the JDK's English rules; a sentence longer than a chunk is cut between words. */
	private List<String> sentences(String paragraph) {
		List<String> sentences = new ArrayList<>();
		BreakIterator iterator = BreakIterator.getSentenceInstance(Locale.ENGLISH);
		iterator.setText(paragraph);
		int start = iterator.first();
		for (int end = iterator.next(); end != BreakIterator.DONE; start = end, end = iterator.next()) {
			String sentence = paragraph.substring(start, end).strip();
			while (sentence.length() > this.targetChars) {
				int cut = sentence.lastIndexOf(' ', this.targetChars);
				if (cut <= 0) {
					cut = this.targetChars;
				}
				sentences.add(sentence.substring(0, cut).strip());
				sentence = sentence.substring(cut).strip();
			}
			if (!sentence.isEmpty()) {
				sentences.add(sentence);
			}
		}
		return sentences;
	}

}
