package dev.clara.bench;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark's handbook: exactly the pages asked for, full of text, the same bytes for the same seed. */
class HandbookPdfTests {

	@Test
	void hasExactlyThePagesAskedFor() throws Exception {
		for (int pages : new int[] { 1, 3, 25 }) {
			try (PDDocument pdf = Loader.loadPDF(HandbookPdf.generate(pages, 42))) {
				assertThat(pdf.getNumberOfPages()).as("%d pages", pages).isEqualTo(pages);
			}
		}
	}

	@Test
	void everyPageIsFullOfTextWithHeadings() throws Exception {
		try (PDDocument pdf = Loader.loadPDF(HandbookPdf.generate(10, 42))) {
			PDFTextStripper stripper = new PDFTextStripper();
			for (int page = 1; page <= 10; page++) {
				stripper.setStartPage(page);
				stripper.setEndPage(page);
				String text = stripper.getText(pdf);
				assertThat(text.length()).as("characters on page %d", page).isBetween(3_000, 5_500);
				assertThat(text).contains("page " + page + " of 10");
			}
			stripper.setStartPage(1);
			stripper.setEndPage(1);
			assertThat(stripper.getText(pdf)).startsWith("1. ").contains("1.1 ");
		}
	}

	@Test
	void theSameSeedGivesTheSameBytesAndAnotherSeedOtherText() {
		assertThat(HandbookPdf.generate(5, 42)).isEqualTo(HandbookPdf.generate(5, 42));
		assertThat(HandbookPdf.generate(5, 43)).isNotEqualTo(HandbookPdf.generate(5, 42));
	}

	@Test
	void refusesNoPages() {
		assertThatThrownBy(() -> HandbookPdf.generate(0, 42)).isInstanceOf(IllegalArgumentException.class);
	}

}
