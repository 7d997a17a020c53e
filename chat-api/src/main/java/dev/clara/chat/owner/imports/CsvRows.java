package dev.clara.chat.owner.imports;

import java.util.List;
import java.util.Locale;

import dev.clara.chat.owner.pairs.QaPairInserts;
import dev.clara.chat.web.Texts;

/**
 * Turns CSV records into Q&A rows: finds the header (a first record naming {@code question} and
 * {@code answer}, and optionally {@code category}, in any order, other columns ignored; without
 * one the columns are question, answer, category) and checks each row, giving a reason for every
 * row it refuses.
 */
public final class CsvRows {

	/** A checked row: the pair to import, or why not. */
	public record Row(int number, int line, String question, String answer, String category, String invalid) {

		public boolean valid() {
			return this.invalid == null;
		}

	}

	private final int maxQuestion;

	private final int maxAnswer;

	private final int maxCategory;

	private int questionColumn = 0;

	private int answerColumn = 1;

	private int categoryColumn = 2;

	private boolean positional = true;

	private boolean headerSeen;

	private int dataRows;

	public CsvRows(int maxQuestion, int maxAnswer, int maxCategory) {
		this.maxQuestion = maxQuestion;
		this.maxAnswer = maxAnswer;
		this.maxCategory = maxCategory;
	}

	/** The row of {@code record}, or null when it is the header. */
	public Row accept(CsvReader.Record record) {
		if (!this.headerSeen) {
			this.headerSeen = true;
			if (header(record.fields())) {
				return null;
			}
		}
		int number = ++this.dataRows;
		if (record.error() != null) {
			return invalid(number, record, record.error());
		}
		List<String> fields = record.fields();
		if (this.positional && fields.size() > 3) {
			return invalid(number, record, "expected 2 or 3 fields (question, answer, category), found " + fields.size());
		}
		String question = field(fields, this.questionColumn);
		String answer = field(fields, this.answerColumn);
		String category = this.categoryColumn >= 0 ? field(fields, this.categoryColumn) : null;
		if (fields.size() <= this.answerColumn) {
			return invalid(number, record, "missing the answer field");
		}
		if (question.isEmpty()) {
			return invalid(number, record, "the question is empty");
		}
		if (answer.isEmpty()) {
			return invalid(number, record, "the answer is empty");
		}
		if (question.length() > this.maxQuestion) {
			return invalid(number, record, "the question is longer than " + this.maxQuestion + " characters");
		}
		if (answer.length() > this.maxAnswer) {
			return invalid(number, record, "the answer is longer than " + this.maxAnswer + " characters");
		}
		if (category != null && category.length() > this.maxCategory) {
			return invalid(number, record, "the category is longer than " + this.maxCategory + " characters");
		}
		String all = question + answer + (category == null ? "" : category);
		if (all.indexOf('\uFFFD') >= 0) {
			// the file is decoded with replacement (one bad byte must not stop the import), so a
			// U+FFFD stands for bytes that were not UTF-8: the row is refused as a body would be
			return invalid(number, record, "the row is not valid UTF-8");
		}
		for (String[] field : new String[][] { { "question", question }, { "answer", answer },
				{ "category", category } }) {
			String flaw = field[1] == null ? null : Texts.flaw(field[1]);
			if (flaw != null) {
				return invalid(number, record, "the " + field[0] + " " + flaw);
			}
		}
		return new Row(number, record.line(), question, answer,
				(category == null || category.isEmpty()) ? QaPairInserts.DEFAULT_CATEGORY : category, null);
	}

	/** Data rows seen so far (the header excluded). */
	public int dataRows() {
		return this.dataRows;
	}

	private boolean header(List<String> fields) {
		int question = -1;
		int answer = -1;
		int category = -1;
		for (int i = 0; i < fields.size(); i++) {
			switch (fields.get(i).strip().toLowerCase(Locale.ROOT)) {
				case "question" -> question = (question < 0) ? i : question;
				case "answer" -> answer = (answer < 0) ? i : answer;
				case "category" -> category = (category < 0) ? i : category;
				default -> {
				}
			}
		}
		if (question < 0 || answer < 0) {
			return false;
		}
		this.questionColumn = question;
		this.answerColumn = answer;
		this.categoryColumn = category;
		this.positional = false;
		return true;
	}

	private static String field(List<String> fields, int index) {
		return index < fields.size() ? fields.get(index).strip() : "";
	}

	private Row invalid(int number, CsvReader.Record record, String reason) {
		// the report shows the owner which row it was; what the text rule refuses is shown as U+FFFD
		String question = Texts.scrub(field(record.fields(), this.questionColumn), "\uFFFD");
		return new Row(number, record.line(), question.isEmpty() ? null : question, null, null, reason);
	}

}
