package dev.clara.embedding.documents;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.PagedText;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The child process that reads one document with Apache Tika: {@code ExtractionMain <file> <out>
 * <max-chars> <report>}. It runs in a JVM of its own with a small heap and is killed by its parent
 * after a time-out, so a hostile or huge file can exhaust only this process. The text goes to
 * {@code out} as lines: {@code # title} for headings (the level as #s), a blank line between
 * paragraphs. The exit code says what happened ({@link Outcome}); {@code report} gets the figures
 * only the child knows ({@link #writeReport}); nothing of the document is printed.
 */
public final class ExtractionMain {

	private ExtractionMain() {
	}

	/** Exit codes shared with the parent. */
	enum Outcome {

		OK(0), ENCRYPTED(10), UNREADABLE(11), TOO_MUCH_TEXT(12), ZIP_BOMB(13), EMPTY_FILE(14), USAGE(2),
		/** {@code -XX:+ExitOnOutOfMemoryError} exits with 3. */
		OUT_OF_MEMORY(3);

		final int code;

		Outcome(int code) {
			this.code = code;
		}

		static Outcome of(int code) {
			for (Outcome outcome : values()) {
				if (outcome.code == code) {
					return outcome;
				}
			}
			return UNREADABLE;
		}

	}

	public static void main(String[] args) {
		if (args.length != 4) {
			System.exit(Outcome.USAGE.code);
		}
		long started = System.nanoTime();
		Metadata metadata = new Metadata();
		Outcome outcome = extract(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]), metadata);
		writeReport(Path.of(args[3]), metadata, (System.nanoTime() - started) / 1_000_000, peakRssKilobytes());
		System.exit(outcome.code);
	}

	static Outcome extract(Path file, Path out, int maxChars) {
		return extract(file, out, maxChars, new Metadata());
	}

	/** Reads {@code file} into {@code out}; {@code metadata} receives what Tika learnt (the page count). */
	static Outcome extract(Path file, Path out, int maxChars, Metadata metadata) {
		Parser parser = new AutoDetectParser();
		try (InputStream in = TikaInputStream.get(file);
				Writer writer = new BufferedWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
			OutlineHandler handler = new OutlineHandler(writer, maxChars);
			parser.parse(in, handler, metadata, new ParseContext());
			handler.finish();
			return Outcome.OK;
		}
		catch (EncryptedDocumentException ex) {
			return Outcome.ENCRYPTED;
		}
		catch (ZeroByteFileException ex) {
			return Outcome.EMPTY_FILE;
		}
		catch (TooMuchText ex) {
			return Outcome.TOO_MUCH_TEXT;
		}
		catch (TikaException | IOException | SAXException | RuntimeException ex) {
			if (WriteLimitReachedException.isWriteLimitReached(ex) || causedBy(ex, TooMuchText.class)) {
				return Outcome.TOO_MUCH_TEXT;
			}
			if (causedBy(ex, EncryptedDocumentException.class)
					|| causedBy(ex, org.apache.poi.EncryptedDocumentException.class)) {
				return Outcome.ENCRYPTED;
			}
			String message = String.valueOf(messages(ex)).toLowerCase(Locale.ROOT);
			if (message.contains("zip bomb")) {
				return Outcome.ZIP_BOMB;
			}
			return Outcome.UNREADABLE;
		}
	}

	/**
	 * Writes the figures only the child knows, as {@code key=value} lines the parent reads into the
	 * document's statistics: {@code pages} (when the format has pages), {@code parse_ms} (Tika's
	 * loading and the parse, without the JVM's start) and {@code peak_rss_kb} (this process's peak resident
	 * memory, on Linux). A report that cannot be written is left out: the figures are informative.
	 */
	static void writeReport(Path report, Metadata metadata, long parseMillis, long peakRssKb) {
		StringBuilder lines = new StringBuilder();
		Integer pages = metadata.getInt(PagedText.N_PAGES);
		if (pages != null) {
			lines.append("pages=").append(pages).append('\n');
		}
		lines.append("parse_ms=").append(parseMillis).append('\n');
		if (peakRssKb > 0) {
			lines.append("peak_rss_kb=").append(peakRssKb).append('\n');
		}
		try {
			Files.writeString(report, lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			// the text is what matters; the parent goes on without the figures
		}
	}

	/** {@code VmHWM} of /proc/self/status: the most this process has been resident; 0 where there is none. */
	static long peakRssKilobytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("\\D", ""));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: no figure
		}
		return 0;
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

	private static String messages(Throwable ex) {
		StringBuilder all = new StringBuilder();
		for (Throwable t = ex; t != null; t = t.getCause()) {
			all.append(t.getMessage()).append(' ');
		}
		return all.toString();
	}

	/** More text than a document may have: thrown from the handler to stop the parser at once. */
	static final class TooMuchText extends SAXException {

		TooMuchText() {
			super("too much text");
		}

	}

	/** Tika's XHTML events → headings and paragraphs as plain lines. */
	static final class OutlineHandler extends DefaultHandler {

		private final Writer out;

		private final int maxChars;

		private static final java.util.regex.Pattern MARKDOWN_HEADING = java.util.regex.Pattern
			.compile("(#{1,6})\\s+(.+?)\\s*#*");

		private final StringBuilder line = new StringBuilder();

		private int written;

		private int headingLevel;

		OutlineHandler(Writer out, int maxChars) {
			this.out = out;
			this.maxChars = maxChars;
		}

		@Override
		public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
			String name = localName.isEmpty() ? qName : localName;
			int level = headingLevel(name);
			if (level > 0) {
				flush();
				this.headingLevel = level;
			}
			else if (isBlock(name)) {
				flush();
			}
		}

		@Override
		public void endElement(String uri, String localName, String qName) throws SAXException {
			String name = localName.isEmpty() ? qName : localName;
			if (headingLevel(name) > 0 || isBlock(name)) {
				flush();
			}
		}

		@Override
		public void characters(char[] ch, int start, int length) throws SAXException {
			this.line.append(ch, start, length);
			if (this.line.length() > this.maxChars) {
				throw new TooMuchText();
			}
		}

		@Override
		public void ignorableWhitespace(char[] ch, int start, int length) {
			// layout only
		}

		void finish() throws SAXException {
			flush();
		}

		/**
		 * Writes the text gathered since the last block boundary. Plain text and Markdown arrive as
		 * one block, so its own structure is kept: a blank line ends a paragraph and a line
		 * starting with 1–6 {@code #} is a heading.
		 */
		private void flush() throws SAXException {
			String raw = this.line.toString();
			this.line.setLength(0);
			int level = this.headingLevel;
			this.headingLevel = 0;
			if (level > 0) {
				emit(level, raw.replaceAll("\\s+", " ").strip());
				return;
			}
			StringBuilder paragraph = new StringBuilder();
			for (String textLine : raw.split("\\R", -1)) {
				String stripped = textLine.strip();
				java.util.regex.Matcher heading = MARKDOWN_HEADING.matcher(stripped);
				if (stripped.isEmpty() || heading.matches()) {
					emit(0, paragraph.toString());
					paragraph.setLength(0);
					if (heading.matches()) {
						emit(heading.group(1).length(), heading.group(2));
					}
				}
				else {
					paragraph.append(paragraph.isEmpty() ? "" : " ").append(stripped.replaceAll("\\s+", " "));
				}
			}
			emit(0, paragraph.toString());
		}

		private void emit(int level, String text) throws SAXException {
			if (text.isBlank()) {
				return;
			}
			String out = level > 0 ? "#".repeat(level) + " " + text.strip() + "\n\n" : text.strip() + "\n\n";
			this.written += out.length();
			if (this.written > this.maxChars) {
				throw new TooMuchText();
			}
			try {
				this.out.write(out);
			}
			catch (IOException ex) {
				throw new SAXException(ex);
			}
		}

		private static int headingLevel(String name) {
			if (name.length() == 2 && (name.charAt(0) == 'h' || name.charAt(0) == 'H') && name.charAt(1) >= '1'
					&& name.charAt(1) <= '6') {
				return name.charAt(1) - '0';
			}
			return 0;
		}

		private static boolean isBlock(String name) {
			return switch (name.toLowerCase(Locale.ROOT)) {
				case "p", "div", "li", "tr", "br", "td", "th", "blockquote", "pre", "title", "dd", "dt" -> true;
				default -> false;
			};
		}

	}

}
