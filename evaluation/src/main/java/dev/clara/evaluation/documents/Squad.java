package dev.clara.evaluation.documents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQuAD 2.0 articles in SQuAD's own JSON format ({@code data[]} → {@code title},
 * {@code paragraphs[]} → {@code context}, {@code qas[]}), read from {@code squad2_dev_articles.json}
 * in the data folder.
 */
final class Squad {

	static final String FILE = "squad2_dev_articles.json";

	/** One article: its title as Wikipedia shows it, its paragraphs in order, its questions. */
	record Article(String title, List<String> paragraphs, List<Question> questions) {

		/** The article as an owner would upload it: the title as heading, paragraphs separated by blank lines. */
		String markdown() {
			return "# " + this.title + "\n\n" + String.join("\n\n", this.paragraphs) + "\n";
		}

	}

	/**
	 * One question.
	 * @param answers the distinct gold answer texts; empty for an unanswerable question
	 */
	record Question(String id, String article, String text, boolean answerable, List<String> answers) {
	}

	private Squad() {
	}

	static List<Article> load(Path dir) throws IOException {
		Path file = dir.resolve(FILE);
		if (!Files.isRegularFile(file)) {
			throw new IllegalArgumentException(file + " not found (--data names the folder holding " + FILE + ")");
		}
		return parse(Files.readString(file));
	}

	static List<Article> parse(String json) {
		JsonNode root = JsonMapper.builder().build().readTree(json);
		List<Article> articles = new ArrayList<>();
		for (JsonNode article : root.get("data")) {
			// SQuAD writes titles as Wikipedia page names (1973_oil_crisis)
			String title = article.get("title").asString().replace('_', ' ');
			List<String> paragraphs = new ArrayList<>();
			List<Question> questions = new ArrayList<>();
			for (JsonNode paragraph : article.get("paragraphs")) {
				paragraphs.add(paragraph.get("context").asString().strip());
				for (JsonNode qa : paragraph.get("qas")) {
					boolean impossible = qa.path("is_impossible").asBoolean(false);
					LinkedHashSet<String> answers = new LinkedHashSet<>();
					if (!impossible) {
						qa.get("answers").forEach(a -> answers.add(a.get("text").asString()));
					}
					questions.add(new Question(qa.get("id").asString(), title, qa.get("question").asString().strip(),
							!impossible, List.copyOf(answers)));
				}
			}
			articles.add(new Article(title, List.copyOf(paragraphs), List.copyOf(questions)));
		}
		return List.copyOf(articles);
	}

}
