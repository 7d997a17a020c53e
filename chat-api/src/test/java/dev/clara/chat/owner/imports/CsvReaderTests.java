package dev.clara.chat.owner.imports;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CsvReaderTests {

	static List<CsvReader.Record> read(String csv) throws IOException {
		CsvReader reader = new CsvReader(new StringReader(csv), 100, 8);
		List<CsvReader.Record> records = new ArrayList<>();
		CsvReader.Record record;
		while ((record = reader.next()) != null) {
			records.add(record);
		}
		return records;
	}

	@Test
	void plainFieldsAndLineEnds() throws IOException {
		List<CsvReader.Record> records = read("a,b,c\r\nd,e,f\ng,h,i\rj,k,l");
		assertThat(records).extracting(CsvReader.Record::fields)
			.containsExactly(List.of("a", "b", "c"), List.of("d", "e", "f"), List.of("g", "h", "i"), List.of("j", "k", "l"));
		assertThat(records).extracting(CsvReader.Record::line).containsExactly(1, 2, 3, 4);
		assertThat(records).allSatisfy(record -> assertThat(record.error()).isNull());
	}

	@Test
	void quotedFieldsHoldCommasQuotesAndLineBreaks() throws IOException {
		List<CsvReader.Record> records = read("\"Hello, world\",\"She said \"\"hi\"\"\",\"line one\r\nline two\nline three\"\nnext,row,here\n");
		assertThat(records).hasSize(2);
		assertThat(records.get(0).fields())
			.containsExactly("Hello, world", "She said \"hi\"", "line one\nline two\nline three");
		assertThat(records.get(1).line()).isEqualTo(4);
		assertThat(records.get(1).fields()).containsExactly("next", "row", "here");
	}

	@Test
	void aByteOrderMarkIsSkipped() throws IOException {
		assertThat(read("\uFEFFquestion,answer\nq,a").get(0).fields()).containsExactly("question", "answer");
	}

	@Test
	void blankLinesAreNotRecordsButEmptyFieldsAre() throws IOException {
		List<CsvReader.Record> records = read("a,b\n\n\r\n,\n\"\"\nc,d\n\n");
		assertThat(records).extracting(CsvReader.Record::fields)
			.containsExactly(List.of("a", "b"), List.of("", ""), List.of(""), List.of("c", "d"));
		assertThat(records).extracting(CsvReader.Record::number).containsExactly(1, 2, 3, 4);
	}

	@Test
	void malformedRecordsAreReportedAndReadingGoesOn() throws IOException {
		List<CsvReader.Record> records = read("\"closed\"junk,b\nfine,row\n\"never closed,b\nmore");
		assertThat(records).hasSize(3);
		assertThat(records.get(0).error()).isEqualTo("unexpected text after a closing quote");
		assertThat(records.get(1).error()).isNull();
		assertThat(records.get(2).error()).contains("not closed");
	}

	@Test
	void tooLongFieldsAndTooManyFieldsAreBoundedAndReported() throws IOException {
		List<CsvReader.Record> records = read("x".repeat(10_000) + ",b\n1,2,3,4,5,6,7,8,9,10\nok,row");
		assertThat(records.get(0).error()).contains("longer than 100");
		assertThat(records.get(0).fields().get(0)).hasSize(100);
		assertThat(records.get(1).error()).contains("more than 8 fields");
		assertThat(records.get(1).fields()).hasSize(8);
		assertThat(records.get(2).fields()).containsExactly("ok", "row");
	}

	@Test
	void aQuoteInsideAnUnquotedFieldIsKept() throws IOException {
		assertThat(read("say \"hi\",b").get(0).fields()).containsExactly("say \"hi\"", "b");
	}

	/** 200,000 records through a reader that makes them on the fly: nothing is held but one record. */
	@Test
	void readsAnArbitrarilyLongStreamRecordByRecord() throws IOException {
		int total = 200_000;
		Reader generated = new Reader() {
			int record;
			String current = "";
			int position;

			@Override
			public int read(char[] buffer, int offset, int length) {
				if (this.position == this.current.length()) {
					if (this.record == total) {
						return -1;
					}
					this.current = "\"Question " + this.record + ", with a comma\",\"Answer\nover two lines\",general\r\n";
					this.record++;
					this.position = 0;
				}
				int n = Math.min(length, this.current.length() - this.position);
				this.current.getChars(this.position, this.position + n, buffer, offset);
				this.position += n;
				return n;
			}

			@Override
			public void close() {
			}
		};
		CsvReader reader = new CsvReader(generated, 1000, 8);
		CsvReader.Record record;
		CsvReader.Record last = null;
		int count = 0;
		while ((record = reader.next()) != null) {
			count++;
			last = record;
		}
		assertThat(count).isEqualTo(total);
		assertThat(last.fields()).containsExactly("Question " + (total - 1) + ", with a comma", "Answer\nover two lines", "general");
		assertThat(last.line()).isEqualTo(2 * total - 1);
	}

	@Test
	void rowsFindTheHeaderAndCheckEachRow() throws IOException {
		CsvRows rows = new CsvRows(20, 30, 10);
		List<CsvRows.Row> checked = new ArrayList<>();
		for (CsvReader.Record record : read("Category,Answer,Question\ngeneral,Yes,Is it?\n,No,\nx,,Empty answer?\n"
				+ "toolongcategory,a,q\nc,a," + "q".repeat(21) + "\n,a,q\n")) {
			CsvRows.Row row = rows.accept(record);
			if (row != null) {
				checked.add(row);
			}
		}
		assertThat(checked).hasSize(6);
		assertThat(checked.get(0)).extracting(CsvRows.Row::question, CsvRows.Row::answer, CsvRows.Row::category)
			.containsExactly("Is it?", "Yes", "general");
		assertThat(checked).extracting(CsvRows.Row::invalid)
			.containsExactly(null, "the question is empty", "the answer is empty",
					"the category is longer than 10 characters", "the question is longer than 20 characters", null);
		assertThat(checked.get(5).category()).isEqualTo("general");
		assertThat(rows.dataRows()).isEqualTo(6);
	}

	@Test
	void withoutHeaderTheColumnsArePositional() throws IOException {
		CsvRows rows = new CsvRows(100, 100, 100);
		List<CsvReader.Record> records = read("What?,That.\nWhere?,Here.,places\na,b,c,d\nonly one field\n");
		assertThat(rows.accept(records.get(0))).extracting(CsvRows.Row::question, CsvRows.Row::category)
			.containsExactly("What?", "general");
		assertThat(rows.accept(records.get(1)).category()).isEqualTo("places");
		assertThat(rows.accept(records.get(2)).invalid()).contains("expected 2 or 3 fields");
		assertThat(rows.accept(records.get(3)).invalid()).isEqualTo("missing the answer field");
	}

	@Test
	void invalidEncodingAndTextTheRuleRefusesAreRefusedRowByRow() throws IOException {
		CsvRows rows = new CsvRows(100, 100, 100);
		List<CsvReader.Record> records = read("q\uFFFD,a\nq,a\u0000\nq\uD800,a\nq,a,c\u009b\nq\u0007,a\ntab\there,\"line\r\nend\"\n");
		assertThat(rows.accept(records.get(0)).invalid()).isEqualTo("the row is not valid UTF-8");
		assertThat(rows.accept(records.get(1)).invalid()).startsWith("the answer must not contain control characters");
		CsvRows.Row surrogate = rows.accept(records.get(2));
		assertThat(surrogate.invalid()).startsWith("the question must be well-formed Unicode");
		// the report shows the row's question, with what the rule refuses replaced
		assertThat(surrogate.question()).isEqualTo("q\uFFFD");
		assertThat(rows.accept(records.get(3)).invalid()).startsWith("the category must not contain control characters");
		assertThat(rows.accept(records.get(4)).question()).isEqualTo("q\uFFFD");
		assertThat(rows.accept(records.get(5)).invalid()).isNull();
	}

	/** One line of a million commas: the record keeps maxFields fields, not a million. */
	@Test
	void aRecordOfAMillionFieldsKeepsOnlyMaxFields() throws IOException {
		CsvReader reader = new CsvReader(new StringReader(",".repeat(1_000_000) + "\nq,a\n"), 100, 32);
		CsvReader.Record huge = reader.next();
		assertThat(huge.fields()).hasSize(32);
		assertThat(huge.error()).isEqualTo("more than 32 fields");
		CsvReader.Record next = reader.next();
		assertThat(next.fields()).containsExactly("q", "a");
		assertThat(next.error()).isNull();
		assertThat(reader.next()).isNull();
	}

	/** Past the limit nothing more is kept even when the extra fields are long or quoted. */
	@Test
	void fieldsPastTheLimitAreReadButNotKept() throws IOException {
		String extra = (",\"" + "x".repeat(500) + "\"").repeat(10_000);
		CsvReader reader = new CsvReader(new StringReader("a,b" + extra + "\nc,d"), 100, 2);
		CsvReader.Record record = reader.next();
		assertThat(record.fields()).containsExactly("a", "b");
		assertThat(record.error()).isEqualTo("more than 2 fields");
		assertThat(reader.next().fields()).containsExactly("c", "d");
	}

	@Test
	void exactlyMaxFieldsIsFine() throws IOException {
		CsvReader.Record record = new CsvReader(new StringReader("a,b,c"), 100, 3).next();
		assertThat(record.fields()).containsExactly("a", "b", "c");
		assertThat(record.error()).isNull();
		CsvReader.Record open = new CsvReader(new StringReader("a,b,c,\"d"), 100, 3).next();
		assertThat(open.fields()).containsExactly("a", "b", "c");
		assertThat(open.error()).isNotNull();
	}

}
