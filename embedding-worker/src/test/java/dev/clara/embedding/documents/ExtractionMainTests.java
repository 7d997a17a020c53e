package dev.clara.embedding.documents;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.tika.metadata.Metadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The child's extraction, run in this JVM: headings and paragraphs come out as outline lines. */
class ExtractionMainTests {

	@TempDir
	Path dir;

	@Test
	void aWordDocumentKeepsItsHeadings() throws Exception {
		assertThat(extract(HostileFiles.docx(HostileFiles.wordBody("Shipping", "We ship to every country."))))
			.isEqualTo("# Shipping\n\nWe ship to every country.\n\n");
	}

	@Test
	void markdownKeepsItsHeadingsAndParagraphs() throws Exception {
		assertThat(extract("# Returns\nWithin 30 days,\nunused.\n\n## Refunds\n\nFive days.\n".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("# Returns\n\nWithin 30 days, unused.\n\n## Refunds\n\nFive days.\n\n");
	}

	@Test
	void htmlKeepsHeadingsAndDropsScripts() throws Exception {
		assertThat(extract("<html><head><script>var x = 1;</script></head><body><h2>Hours</h2><p>Nine to five.</p></body></html>"
			.getBytes(StandardCharsets.UTF_8))).isEqualTo("## Hours\n\nNine to five.\n\n");
	}

	@Test
	void tooMuchTextStopsTheParser() throws Exception {
		Path file = this.dir.resolve("big.txt");
		Files.writeString(file, "word ".repeat(10_000));
		assertThat(ExtractionMain.extract(file, this.dir.resolve("out.txt"), 1_000))
			.isEqualTo(ExtractionMain.Outcome.TOO_MUCH_TEXT);
	}

	@Test
	void theReportGivesThePageCountTheParseTimeAndThePeakMemory() throws Exception {
		Path file = this.dir.resolve("three.pdf");
		Files.write(file, HostileFiles.pdf("One.", "Two.", "Three."));
		Metadata metadata = new Metadata();
		assertThat(ExtractionMain.extract(file, this.dir.resolve("out.txt"), 100_000, metadata))
			.isEqualTo(ExtractionMain.Outcome.OK);
		Path report = this.dir.resolve("report");
		ExtractionMain.writeReport(report, metadata, 42, 135_000);
		assertThat(Extractor.readReport(report)).containsExactly(entry("pages", 3L), entry("parse_ms", 42L),
				entry("peak_rss_kb", 135_000L));
	}

	@Test
	void aFormatWithoutPagesReportsNoPageCount() throws Exception {
		Path report = this.dir.resolve("report");
		ExtractionMain.writeReport(report, new Metadata(), 7, 0);
		assertThat(Extractor.readReport(report)).containsExactly(entry("parse_ms", 7L));
	}

	@Test
	void theParentTakesOnlyTheKnownFiguresFromTheReport() throws Exception {
		Path report = this.dir.resolve("report");
		Files.writeString(report, "pages=3\nowner_note=1\nparse_ms=soon\npeak_rss_kb=9000\n");
		assertThat(Extractor.readReport(report)).containsExactly(entry("pages", 3L), entry("peak_rss_kb", 9000L));
	}

	private String extract(byte[] content) throws Exception {
		Path file = this.dir.resolve("in.bin");
		Files.write(file, content);
		Path out = this.dir.resolve("out.txt");
		assertThat(ExtractionMain.extract(file, out, 100_000)).isEqualTo(ExtractionMain.Outcome.OK);
		return Files.readString(out);
	}

}
