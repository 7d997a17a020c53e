package dev.clara.embedding.documents;

/** Why a document could not be read, in words for its owner (stored in {@code documents.failure_reason}). */
final class FailureReasons {

	static final String NO_TEXT = "The document contains no text Clara can read. A scanned PDF needs text "
			+ "recognition (OCR) before it is uploaded.";

	private FailureReasons() {
	}

	static String of(Extractor.Result result, String contentType, DocumentProperties properties) {
		if (result.timedOut()) {
			return "Reading the document took longer than " + properties.extractionTimeout().toSeconds()
					+ " seconds and was stopped. Split it into smaller documents or save it in a simpler format.";
		}
		return switch (result.outcome()) {
			case ENCRYPTED -> "The file is protected by a password. Upload a copy without the password.";
			case TOO_MUCH_TEXT -> "The document has more than " + String.format("%,d", properties.maxChars())
					+ " characters of text. Split it into smaller documents.";
			case ZIP_BOMB -> "The file unpacks to far more data than it holds, as a compression bomb does, "
					+ "so it was not read.";
			case OUT_OF_MEMORY -> "The document is too large or too complex to read. Split it into smaller "
					+ "documents or save it in a simpler format.";
			case EMPTY_FILE -> NO_TEXT;
			default -> "The file could not be read as " + formatName(contentType) + "; it may be damaged. "
					+ "Open it, save it again and upload the copy.";
		};
	}

	private static String formatName(String contentType) {
		if (contentType == null) {
			return "a document";
		}
		return switch (contentType) {
			case "application/pdf" -> "a PDF";
			case "application/vnd.openxmlformats-officedocument.wordprocessingml.document" -> "a Word document";
			case "text/html" -> "an HTML page";
			case "text/markdown" -> "Markdown";
			default -> "text";
		};
	}

}
