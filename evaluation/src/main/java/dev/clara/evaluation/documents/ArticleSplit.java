package dev.clara.evaluation.documents;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Articles split whole into a tuning part (chunking, search strategy and passage threshold are
 * chosen on it) and a reporting part (the figures): the first half of the articles in file order
 * tune, the rest report. Whole articles, so no reported question's passage was seen while tuning.
 */
final class ArticleSplit {

	/** Which part an article belongs to. */
	enum Part {

		TUNE, REPORT;

		String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	private ArticleSplit() {
	}

	/** Each article's title → its part; the first {@code ceil(n / 2)} tune. */
	static Map<String, Part> of(List<Squad.Article> articles) {
		Map<String, Part> parts = new LinkedHashMap<>();
		int tune = (articles.size() + 1) / 2;
		for (int i = 0; i < articles.size(); i++) {
			parts.put(articles.get(i).title(), i < tune ? Part.TUNE : Part.REPORT);
		}
		return parts;
	}

}
