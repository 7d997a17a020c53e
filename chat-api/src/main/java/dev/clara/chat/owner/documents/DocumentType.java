package dev.clara.chat.owner.documents;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipFile;

import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

/**
 * The formats a document may have, recognised by content with Tika's magic-byte detector (the
 * file name only refines plain text into Markdown, which no content can prove). A ZIP file is a
 * DOCX only if it holds a Word main part; the check reads the ZIP's directory, never inflates.
 */
enum DocumentType {

	PDF("application/pdf"), DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
	HTML("text/html"), MARKDOWN("text/markdown"), TEXT("text/plain");

	private static final Detector DETECTOR = MimeTypes.getDefaultMimeTypes();

	private final String mediaType;

	DocumentType(String mediaType) {
		this.mediaType = mediaType;
	}

	String mediaType() {
		return this.mediaType;
	}

	/** The type of the file at {@code path}, or empty when it is none of the accepted formats. */
	static Optional<DocumentType> detect(Path path, String fileName) throws IOException {
		Metadata metadata = new Metadata();
		if (fileName != null) {
			metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
		}
		MediaType detected;
		try (InputStream in = TikaInputStream.get(path)) {
			detected = DETECTOR.detect(in, metadata);
		}
		String type = detected.getBaseType().toString().toLowerCase(Locale.ROOT);
		return switch (type) {
			case "application/pdf" -> Optional.of(PDF);
			case "application/zip", "application/x-tika-ooxml",
					"application/vnd.openxmlformats-officedocument.wordprocessingml.document" ->
				isWordPackage(path) ? Optional.of(DOCX) : Optional.empty();
			case "text/html", "application/xhtml+xml" -> Optional.of(HTML);
			case "text/x-web-markdown", "text/markdown" -> Optional.of(MARKDOWN);
			case "text/plain" -> Optional.of(TEXT);
			default -> Optional.empty();
		};
	}

	private static boolean isWordPackage(Path path) {
		try (ZipFile zip = new ZipFile(path.toFile())) {
			return zip.getEntry("[Content_Types].xml") != null && zip.getEntry("word/document.xml") != null;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
