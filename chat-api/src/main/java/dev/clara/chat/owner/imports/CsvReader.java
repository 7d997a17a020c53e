package dev.clara.chat.owner.imports;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: comma-separated fields, double-quoted fields that may hold commas,
 * line breaks and doubled quotes ({@code ""}), CRLF, LF or CR line ends, and a leading UTF-8 BOM.
 * It keeps one record in memory, and at most {@code maxFieldChars} of any field: a longer field
 * marks its record invalid and the rest of it is skipped, so memory stays bounded whatever the
 * file holds; likewise at most {@code maxFields} fields of a record are kept, and a record with
 * more is invalid. Blank lines are skipped. Malformed records (text after a closing quote, a quote
 * left open at the end of the file) are returned with their error; reading goes on with the next
 * record.
 */
public final class CsvReader {

	/**
	 * One record.
	 *
	 * @param number 1-based count of the records returned (blank lines are not records)
	 * @param line the line of the file where the record starts
	 * @param fields the fields (truncated when too long)
	 * @param error why the record is malformed, or null
	 */
	public record Record(int number, int line, List<String> fields, String error) {
	}

	private static final int EOF = -1;

	private final Reader in;

	private final int maxFieldChars;

	private final int maxFields;

	private int line = 1;

	private int records;

	private int pushedBack = -2;

	private boolean first = true;

	public CsvReader(Reader in, int maxFieldChars, int maxFields) {
		this.in = in;
		this.maxFieldChars = maxFieldChars;
		this.maxFields = maxFields;
	}

	/** The next record, or null at the end of the input. */
	public Record next() throws IOException {
		while (true) {
			int startLine = this.line;
			List<String> fields = new ArrayList<>();
			StringBuilder field = new StringBuilder();
			String error = null;
			boolean quoted = false;
			boolean afterQuote = false; // a quoted field has closed
			boolean any = false; // the record has any character (a blank line has none)
			int c = read();
			if (c == EOF) {
				return null;
			}
			while (true) {
				if (quoted) {
					if (c == EOF) {
						error = (error != null) ? error : "a quoted field is not closed before the end of the file";
						error = addField(fields, field, error);
						break;
					}
					if (c == '"') {
						int d = read();
						if (d == '"') {
							error = append(field, '"', error, fields);
						}
						else {
							quoted = false;
							afterQuote = true;
							c = d;
							continue;
						}
					}
					else {
						if (c == '\n' || (c == '\r')) {
							newLine(c);
							c = '\n';
						}
						error = append(field, (char) c, error, fields);
					}
					c = read();
					continue;
				}
				if (c == EOF || c == '\n' || c == '\r') {
					if (c == '\r' || c == '\n') {
						newLine(c);
					}
					error = addField(fields, field, error);
					break;
				}
				any = true;
				if (c == ',') {
					error = addField(fields, field, error);
					field.setLength(0);
					afterQuote = false;
				}
				else if (afterQuote) {
					error = (error != null) ? error : "unexpected text after a closing quote";
				}
				else if (c == '"' && field.isEmpty()) {
					quoted = true;
				}
				else {
					// a quote inside an unquoted field is kept as it is (lenient, like most spreadsheets)
					error = append(field, (char) c, error, fields);
				}
				c = read();
			}
			if (!any && fields.size() == 1 && fields.get(0).isEmpty() && error == null) {
				continue; // a blank line
			}
			return new Record(++this.records, startLine, List.copyOf(fields), error);
		}
	}

	/**
	 * Keeps {@code field} as the record's next field while it has fewer than {@code maxFields};
	 * past that the record is malformed and its further fields are read but not kept, so one line
	 * of a million commas costs no more memory than a record of {@code maxFields} fields.
	 */
	private String addField(List<String> fields, StringBuilder field, String error) {
		if (fields.size() < this.maxFields) {
			fields.add(field.toString());
			return error;
		}
		return (error != null) ? error : "more than " + this.maxFields + " fields";
	}

	/** Appends {@code c} unless the field is past the bounds: too long, or beyond maxFields (not kept). */
	private String append(StringBuilder field, char c, String error, List<String> fields) {
		if (fields.size() >= this.maxFields) {
			return error;
		}
		if (field.length() < this.maxFieldChars) {
			field.append(c);
			return error;
		}
		return (error != null) ? error : "a field is longer than " + this.maxFieldChars + " characters";
	}

	/** Counts a line end; a CR followed by LF is one. */
	private void newLine(int c) throws IOException {
		this.line++;
		if (c == '\r') {
			int d = read();
			if (d != '\n') {
				this.pushedBack = d;
			}
		}
	}

	private int read() throws IOException {
		int c;
		if (this.pushedBack != -2) {
			c = this.pushedBack;
			this.pushedBack = -2;
		}
		else {
			c = this.in.read();
		}
		if (this.first) {
			this.first = false;
			if (c == '\uFEFF') {
				return read();
			}
		}
		return c;
	}

}
