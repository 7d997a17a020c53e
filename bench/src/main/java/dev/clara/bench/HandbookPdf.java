package dev.clara.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A customer handbook of exactly {@code pages} full US Letter pages of text, the same for the same
 * seed: chapters and numbered sections (bold headings) of paragraphs made from sentence templates,
 * and a footer with the page number, the way an owner's product manual looks. A page holds about
 * 4,000 characters of 10-point Helvetica, so 200 pages give about 1,000 chunks of the worker's
 * default size. The file's ID is derived from the seed, so the bytes are the same too.
 */
final class HandbookPdf {

	static final float MARGIN = 72;

	private static final PDRectangle SIZE = PDRectangle.LETTER;

	private static final float BODY_SIZE = 10;

	private static final float LEADING = 13;

	private static final float WIDTH = SIZE.getWidth() - 2 * MARGIN;

	private final PDType1Font body = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

	private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

	private final Random random;

	private final HandbookText text;

	private final int pages;

	private final long seed;

	private PDDocument document;

	private PDPageContentStream content;

	private float y;

	private HandbookPdf(int pages, long seed) {
		if (pages < 1) {
			throw new IllegalArgumentException("pages must be at least 1, not " + pages);
		}
		this.pages = pages;
		this.seed = seed;
		this.random = new Random(seed);
		this.text = new HandbookText(this.random);
	}

	/** The handbook's bytes: {@code pages} pages, the same for the same arguments. */
	static byte[] generate(int pages, long seed) {
		return new HandbookPdf(pages, seed).render();
	}

	private byte[] render() {
		try (PDDocument doc = new PDDocument()) {
			this.document = doc;
			newPage();
			write: for (int chapter = 1;; chapter++) {
				if (!heading(chapter + ". " + this.text.chapterTitle(), 16, 10)) {
					break;
				}
				int sections = 4 + this.random.nextInt(4);
				for (int section = 1; section <= sections; section++) {
					if (!heading(chapter + "." + section + " " + this.text.sectionTitle(), 12, 6)) {
						break write;
					}
					int paragraphs = 2 + this.random.nextInt(4);
					for (int p = 0; p < paragraphs; p++) {
						if (!paragraph(this.text.paragraph())) {
							break write;
						}
					}
				}
			}
			closePage();
			// a fixed ID instead of PDFBox's time-based one: the same seed gives the same bytes
			byte[] id = ("clara-handbook-" + this.seed + "-" + this.pages).getBytes(StandardCharsets.US_ASCII);
			COSArray ids = new COSArray();
			ids.add(new COSString(id));
			ids.add(new COSString(id));
			doc.getDocument().getTrailer().setItem(COSName.ID, ids);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			doc.save(out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A bold heading kept with at least two lines after it; false when the last page is full. */
	private boolean heading(String title, float size, float spaceBefore) throws IOException {
		if (this.y - spaceBefore - size - 3 * LEADING < MARGIN && !nextPage()) {
			return false;
		}
		if (this.y < SIZE.getHeight() - MARGIN) {
			this.y -= spaceBefore;
		}
		this.y -= size;
		line(this.bold, size, title);
		this.y -= size * 0.6f;
		return true;
	}

	/** A paragraph wrapped to the text width, continued on the next page; false when the last page is full. */
	private boolean paragraph(String paragraph) throws IOException {
		for (String wrapped : wrap(paragraph)) {
			if (this.y - LEADING < MARGIN && !nextPage()) {
				return false;
			}
			this.y -= LEADING;
			line(this.body, BODY_SIZE, wrapped);
		}
		this.y -= LEADING * 0.5f;
		return true;
	}

	private List<String> wrap(String paragraph) throws IOException {
		List<String> lines = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String word : paragraph.split(" ")) {
			String candidate = current.isEmpty() ? word : current + " " + word;
			if (this.body.getStringWidth(candidate) / 1000 * BODY_SIZE > WIDTH && !current.isEmpty()) {
				lines.add(current.toString());
				current.setLength(0);
				current.append(word);
			}
			else {
				current.setLength(0);
				current.append(candidate);
			}
		}
		if (!current.isEmpty()) {
			lines.add(current.toString());
		}
		return lines;
	}

	private void line(PDType1Font font, float size, String line) throws IOException {
		this.content.beginText();
		this.content.setFont(font, size);
		this.content.newLineAtOffset(MARGIN, this.y);
		this.content.showText(line);
		this.content.endText();
	}

	private boolean nextPage() throws IOException {
		if (this.document.getNumberOfPages() >= this.pages) {
			return false;
		}
		closePage();
		newPage();
		return true;
	}

	/** The footer, last on the page as in a real document's text order, then the page's end. */
	private void closePage() throws IOException {
		this.content.beginText();
		this.content.setFont(this.body, 8);
		this.content.newLineAtOffset(MARGIN, MARGIN / 2);
		this.content.showText("Northwind Home customer handbook - page " + this.document.getNumberOfPages() + " of "
				+ this.pages);
		this.content.endText();
		this.content.close();
	}

	private void newPage() throws IOException {
		PDPage page = new PDPage(SIZE);
		this.document.addPage(page);
		this.content = new PDPageContentStream(this.document, page);
		this.y = SIZE.getHeight() - MARGIN;
	}

}
