package dev.clara.chat.owner.transcripts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.LimitedRequest;
import dev.clara.chat.web.Texts;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/**
 * Reads an uploaded transcript: the multipart field {@code file}, at most the configured size,
 * UTF-8 text that follows the text rule; and the optional {@code title} field. A transcript is
 * small (1 MB by default), so it is read into memory.
 */
final class TranscriptFiles {

	private TranscriptFiles() {
	}

	/** The uploaded text and its file name (or null). */
	record Upload(String text, String fileName) {
	}

	static Upload read(HttpServletRequest request, long maxBytes) throws IOException {
		if (!(request instanceof MultipartHttpServletRequest multipart)) {
			throw new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
					"Send the transcript as multipart/form-data in a field named file");
		}
		MultipartFile part = multipart.getFile("file");
		if (part == null) {
			throw OwnerProblems.invalid("file", "is required (a multipart field named file)");
		}
		byte[] bytes;
		try (InputStream in = part.getInputStream()) {
			bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
		}
		catch (LimitedRequest.TooLarge ex) {
			throw tooLarge(maxBytes);
		}
		if (bytes.length > maxBytes) {
			throw tooLarge(maxBytes);
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw OwnerProblems.invalid("file", "must be UTF-8 text (a transcript with speaker labels, or JSON)");
		}
		if (text.startsWith("\uFEFF")) {
			text = text.substring(1);
		}
		String flaw = Texts.flaw(text);
		if (flaw != null) {
			throw OwnerProblems.invalid("file", flaw);
		}
		if (text.isBlank()) {
			throw OwnerProblems.invalid("file", "is empty");
		}
		return new Upload(text, fileName(part.getOriginalFilename()));
	}

	/** A title for a transcript uploaded without one: its file name, else "Transcript". */
	static String defaultTitle(Upload upload, int maxChars) {
		String name = upload.fileName();
		if (name == null || name.isBlank()) {
			return "Transcript";
		}
		return name.length() > maxChars ? name.substring(0, maxChars) : name;
	}

	private static String fileName(String original) {
		if (original == null) {
			return null;
		}
		String name = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1).strip();
		return (name.isEmpty() || !Texts.follows(name) || name.chars().anyMatch(c -> c < 0x20)) ? null : name;
	}

	private static ApiProblem tooLarge(long maxBytes) {
		return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "Body too large",
				"A transcript must be at most " + maxBytes + " bytes");
	}

}
