package dev.clara.evaluation;

import java.util.List;

import dev.clara.evaluation.KnowledgeBase.Pair;

/** RFC 4180 CSV of Q&A pairs with the header the owner API's import reads. */
final class Csv {

	static final String HEADER = "question,answer,category";

	private Csv() {
	}

	static String of(List<Pair> pairs) {
		StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
		for (Pair pair : pairs) {
			csv.append(field(pair.question())).append(',').append(field(pair.answer())).append(',')
				.append(field(pair.category())).append("\r\n");
		}
		return csv.toString();
	}

	static String field(String value) {
		if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0
				&& value.strip().equals(value)) {
			return value;
		}
		return '"' + value.replace("\"", "\"\"") + '"';
	}

}
