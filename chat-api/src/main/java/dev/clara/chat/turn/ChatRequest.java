package dev.clara.chat.turn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.identity.UserClaim;
import dev.clara.chat.identity.VerifiedUser;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.PublicJson;
import dev.clara.chat.web.Texts;
import tools.jackson.databind.JsonNode;

/**
 * A visitor message as the widget posts it, validated field by field so a bad request gets a
 * precise 400 instead of a generic binding error.
 */
public record ChatRequest(UUID workspaceId, String sessionToken, UUID messageId, String content, String visitorName,
		String visitorEmail, UserClaim userClaim, VerifiedUser user) {

	/** An anonymous visitor's message. */
	public ChatRequest(UUID workspaceId, String sessionToken, UUID messageId, String content, String visitorName,
			String visitorEmail) {
		this(workspaceId, sessionToken, messageId, content, visitorName, visitorEmail, null, null);
	}

	/** This message once its claimed user has been verified (null: an anonymous visitor). */
	ChatRequest verified(VerifiedUser verified) {
		return new ChatRequest(this.workspaceId, this.sessionToken, this.messageId, this.content, this.visitorName,
				this.visitorEmail, null, verified);
	}

	static final int MAX_CONTENT_CHARS = 4000;

	static final int MIN_TOKEN_CHARS = 32;

	static final int MAX_TOKEN_CHARS = 128;

	static final int MAX_VISITOR_FIELD_CHARS = 200;

	/** The property names of the body, for naming a field that breaks the text rule. */
	private static final Set<String> NAMES = Set.of("workspace_id", "session_token", "message_id", "content", "visitor",
			"name", "email", "user", "id", "hash", "token", "traits");

	public static ChatRequest parse(JsonNode body) {
		List<String> errors = new ArrayList<>();
		if (body == null || !body.isObject()) {
			throw ApiProblem.invalid(List.of("the body must be a JSON object"));
		}
		// the text rule first, for every string and name in the body: nothing that PostgreSQL would
		// refuse (or store altered) gets as far as the LLM call, whose usage would then be lost
		Map<String, String> flaws = Texts.flaws(body, NAMES);
		if (!flaws.isEmpty()) {
			List<String> sentences = new ArrayList<>();
			flaws.forEach((field, message) -> sentences.add(field + " " + message));
			throw ApiProblem.invalid(sentences);
		}
		UUID workspaceId = PublicJson.uuid(body, "workspace_id", errors);
		String token = PublicJson.text(body, "session_token", true, errors);
		if (token != null && (token.length() < MIN_TOKEN_CHARS || token.length() > MAX_TOKEN_CHARS
				|| !token.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
			errors.add("session_token must be " + MIN_TOKEN_CHARS + " to " + MAX_TOKEN_CHARS
					+ " printable ASCII characters");
		}
		UUID messageId = PublicJson.uuid(body, "message_id", errors);
		String content = PublicJson.text(body, "content", true, errors);
		if (content != null) {
			content = content.strip();
			if (content.isEmpty()) {
				errors.add("content must not be empty");
			}
			else if (content.codePointCount(0, content.length()) > MAX_CONTENT_CHARS) {
				errors.add("content must be at most " + MAX_CONTENT_CHARS + " characters");
			}
		}
		String name = null;
		String email = null;
		JsonNode visitor = body.get("visitor");
		if (visitor != null && !visitor.isNull()) {
			if (!visitor.isObject()) {
				errors.add("visitor must be an object");
			}
			else {
				name = bounded(PublicJson.text(visitor, "name", false, errors), "visitor.name", errors);
				email = bounded(PublicJson.text(visitor, "email", false, errors), "visitor.email", errors);
				if (email != null && !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
					errors.add("visitor.email must be an e-mail address");
				}
			}
		}
		UserClaim user = UserClaim.parse(body.get("user"), errors);
		if (!errors.isEmpty()) {
			throw ApiProblem.invalid(errors);
		}
		return new ChatRequest(workspaceId, token, messageId, content, name, email, user, null);
	}

	private static String bounded(String value, String field, List<String> errors) {
		if (value == null || value.isBlank()) {
			return null;
		}
		if (value.length() > MAX_VISITOR_FIELD_CHARS) {
			errors.add(field + " must be at most " + MAX_VISITOR_FIELD_CHARS + " characters");
			return null;
		}
		return value.strip();
	}

}
