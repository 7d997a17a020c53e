package dev.clara.chat.answer;

import java.util.List;
import java.util.UUID;

import dev.clara.chat.search.Match;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CitationMarkersTests {

	private static final List<Match> ENTRIES = List.of(entry("Price?"), entry("Refund?"), entry("Trial?"));

	@Test
	void theCitedEntriesComeInTheOrderFirstCitedAndNumbersOutsideTheListAreIgnored() {
		assertThat(CitationMarkers.cited("A trial [3], a refund [2, 3] and [9] or [0].", ENTRIES))
			.containsExactly(ENTRIES.get(2), ENTRIES.get(1));
		assertThat(CitationMarkers.cited("Nothing cited, nor [4].", ENTRIES)).isEmpty();
	}

	@Test
	void aMarkdownLinkWithANumberForTextIsNotAMarker() {
		assertThat(CitationMarkers.cited("See [1](https://example.com).", ENTRIES)).isEmpty();
		assertThat(CitationMarkers.removed("See [1](https://example.com).")).isEqualTo("See [1](https://example.com).");
	}

	@Test
	void theMarkersAreRemovedWithTheSpaceBeforeThemButParagraphsStay() {
		assertThat(CitationMarkers.removed("Pro is $49 [1].\n\nA trial [2][3] too [1, 2]"))
			.isEqualTo("Pro is $49.\n\nA trial too");
	}

	@Test
	void aSnippetIsTheAnswersStartCutBetweenWords() {
		String longAnswer = "word ".repeat(60);
		String snippet = Citation.snippet(longAnswer);
		assertThat(snippet).hasSizeLessThanOrEqualTo(Citation.SNIPPET_LENGTH).endsWith("word…");
		assertThat(Citation.snippet("  Short\n answer. ")).isEqualTo("Short answer.");
		assertThat(Citation.snippet("x".repeat(400))).hasSize(Citation.SNIPPET_LENGTH);
	}

	private static Match entry(String question) {
		return new Match(UUID.randomUUID(), question, "The answer to " + question, "general", 0.9);
	}

}
