package dev.clara.chat.owner.documents;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.LimitedRequest;
import dev.clara.chat.web.Texts;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/**
 * Reads an uploaded document to a private temporary file (never into the heap), with its size,
 * SHA-256 and type recognised by content. Anything but a multipart field {@code file} of an
 * accepted format is refused before anything is stored.
 */
final class DocumentUploads {

	private DocumentUploads() {
	}

	/** The upload with its file on disk; the caller deletes the file. */
	static DocumentRepository.Upload read(HttpServletRequest request, long maxBytes) throws IOException {
		if (!(request instanceof MultipartHttpServletRequest multipart)) {
			throw new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
					"Send the document as multipart/form-data in a field named file");
		}
		MultipartFile part = multipart.getFile("file");
		if (part == null) {
			throw OwnerProblems.invalid("file", "is required (a multipart field named file)");
		}
		String fileName = fileName(part.getOriginalFilename());
		Path file = Files.createTempFile("clara-document-", ".upload");
		try {
			long size;
			String sha256;
			try (InputStream in = part.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
				MessageDigest digest = MessageDigest.getInstance("SHA-256");
				size = copyBounded(new DigestInputStream(in, digest), out, maxBytes);
				sha256 = HexFormat.of().formatHex(digest.digest());
			}
			if (size == 0) {
				throw OwnerProblems.invalid("file", "is empty");
			}
			DocumentType type = DocumentType.detect(file, fileName)
				.orElseThrow(() -> new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
						"A document must be a PDF, a Word document (DOCX), HTML, Markdown or plain text; "
								+ "its type is recognised from its content, not its name"));
			return new DocumentRepository.Upload(file, size, sha256, type, fileName);
		}
		catch (NoSuchAlgorithmException ex) {
			Files.deleteIfExists(file);
			throw new IllegalStateException(ex);
		}
		catch (IOException | RuntimeException ex) {
			Files.deleteIfExists(file);
			throw ex;
		}
	}

	/** A title for a document uploaded without one: its file name without the extension. */
	static String titleOf(DocumentRepository.Upload upload) {
		String name = upload.fileName();
		if (name == null) {
			return "Untitled document";
		}
		int dot = name.lastIndexOf('.');
		String base = (dot > 0 ? name.substring(0, dot) : name).strip();
		return base.isEmpty() ? "Untitled document" : base;
	}

	/** The client's file name without any folder, or null when it has none or breaks the text rule. */
	private static String fileName(String original) {
		if (original == null) {
			return null;
		}
		String name = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1).strip();
		if (name.isEmpty() || Texts.flaw(name) != null || name.chars().anyMatch(c -> c < 0x20)) {
			return null;
		}
		return name.length() > 255 ? name.substring(0, 255) : name;
	}

	private static long copyBounded(InputStream in, OutputStream out, long maxBytes) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		long total = 0;
		try {
			int n;
			while ((n = in.read(buffer)) > 0) {
				total += n;
				if (total > maxBytes) {
					throw tooLarge(maxBytes);
				}
				out.write(buffer, 0, n);
			}
		}
		catch (LimitedRequest.TooLarge ex) {
			throw tooLarge(maxBytes);
		}
		return total;
	}

	private static ApiProblem tooLarge(long maxBytes) {
		return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "Body too large",
				"A document must be at most " + maxBytes + " bytes");
	}

}
