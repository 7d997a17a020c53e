package dev.clara.evaluation.documents;

import java.util.List;
import java.util.Map;

import dev.clara.evaluation.documents.ArticleSplit.Part;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SquadTests {

	private static final String DATA = """
			{"version": "v2.0", "data": [
			  {"title": "Steam_engine", "paragraphs": [
			    {"context": " First paragraph. ", "qas": [
			      {"id": "1", "question": "What? ", "is_impossible": false,
			       "answers": [{"text": "First", "answer_start": 0}, {"text": "First", "answer_start": 0},
			                   {"text": "First paragraph", "answer_start": 0}]},
			      {"id": "2", "question": "Why?", "is_impossible": true, "answers": [],
			       "plausible_answers": [{"text": "paragraph", "answer_start": 6}]}]},
			    {"context": "Second paragraph.", "qas": []}]},
			  {"title": "B", "paragraphs": [{"context": "b", "qas": []}]},
			  {"title": "C", "paragraphs": [{"context": "c", "qas": []}]}]}
			""";

	@Test
	void readsArticlesParagraphsAndDistinctGoldAnswers() {
		List<Squad.Article> articles = Squad.parse(DATA);
		assertThat(articles).extracting(Squad.Article::title).containsExactly("Steam engine", "B", "C");
		Squad.Article steam = articles.get(0);
		assertThat(steam.paragraphs()).containsExactly("First paragraph.", "Second paragraph.");
		assertThat(steam.questions()).containsExactly(
				new Squad.Question("1", "Steam engine", "What?", true, List.of("First", "First paragraph")),
				// a plausible answer of an unanswerable question is not a gold answer
				new Squad.Question("2", "Steam engine", "Why?", false, List.of()));
	}

	@Test
	void anArticleIsOneMarkdownDocumentWithItsTitleAsHeading() {
		assertThat(Squad.parse(DATA).get(0).markdown())
			.isEqualTo("# Steam engine\n\nFirst paragraph.\n\nSecond paragraph.\n");
	}

	@Test
	void theFirstHalfOfTheArticlesTunesTheRestReports() {
		Map<String, Part> parts = ArticleSplit.of(Squad.parse(DATA));
		assertThat(parts).containsExactly(Map.entry("Steam engine", Part.TUNE), Map.entry("B", Part.TUNE),
				Map.entry("C", Part.REPORT));
	}

}
