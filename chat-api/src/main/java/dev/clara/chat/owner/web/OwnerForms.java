package dev.clara.chat.owner.web;

import dev.clara.chat.web.Texts;
import jakarta.servlet.http.HttpServletRequest;

/** Fields of the owner API's multipart forms (documents and transcripts share them). */
public final class OwnerForms {

	private OwnerForms() {
	}

	/** The form's {@code title} field, if any, checked against the text rule and the length limit. */
	public static String title(HttpServletRequest request, int maxChars) {
		String title = request.getParameter("title");
		if (title == null) {
			return null;
		}
		String flaw = Texts.flaw(title);
		if (flaw != null) {
			throw OwnerProblems.invalid("title", flaw);
		}
		String stripped = title.strip();
		if (stripped.isEmpty() || stripped.length() > maxChars) {
			throw OwnerProblems.invalid("title", "must be 1 to " + maxChars + " characters");
		}
		return stripped;
	}

}
