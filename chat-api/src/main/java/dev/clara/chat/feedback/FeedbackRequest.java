package dev.clara.chat.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.clara.chat.identity.UserClaim;
import dev.clara.chat.web.ApiProblem;
import dev.clara.chat.web.PublicJson;
import dev.clara.chat.web.Texts;
import tools.jackson.databind.JsonNode;

/**
 * A visitor's rating of one of Clara's answers as the widget posts it, validated field by field
 * like a chat turn's body (the same session token shape, the same text rule).
 *
 * @param comment stripped, null when absent or blank
 */
record FeedbackRequest(UUID workspaceId, String sessionToken, UUID messageId, String rating, String comment,
		UserClaim user) {

	static final int MAX_COMMENT_CHARS = 1000;

	static final int MIN_TOKEN_CHARS = 32;

	static final int MAX_TOKEN_CHARS = 128;

	private static final Set<String> NAMES = Set.of("workspace_id", "session_token", "message_id", "rating", "comment",
			"user", "id", "hash", "token", "name", "email", "traits");

	private static final Set<String> RATINGS = Set.of("up", "down");

	static FeedbackRequest parse(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ApiProblem.invalid(List.of("the body must be a JSON object"));
		}
		Map<String, String> flaws = Texts.flaws(body, NAMES);
		if (!flaws.isEmpty()) {
			List<String> sentences = new ArrayList<>();
			flaws.forEach((field, message) -> sentences.add(field + " " + message));
			throw ApiProblem.invalid(sentences);
		}
		List<String> errors = new ArrayList<>();
		UUID workspaceId = PublicJson.uuid(body, "workspace_id", errors);
		String token = PublicJson.text(body, "session_token", true, errors);
		if (token != null && (token.length() < MIN_TOKEN_CHARS || token.length() > MAX_TOKEN_CHARS
				|| !token.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
			errors.add("session_token must be " + MIN_TOKEN_CHARS + " to " + MAX_TOKEN_CHARS
					+ " printable ASCII characters");
		}
		UUID messageId = PublicJson.uuid(body, "message_id", errors);
		String rating = PublicJson.text(body, "rating", true, errors);
		if (rating != null && !RATINGS.contains(rating)) {
			errors.add("rating must be \"up\" or \"down\"");
		}
		String comment = PublicJson.text(body, "comment", false, errors);
		if (comment != null) {
			comment = comment.strip();
			if (comment.isEmpty()) {
				comment = null;
			}
			else if (comment.codePointCount(0, comment.length()) > MAX_COMMENT_CHARS) {
				errors.add("comment must be at most " + MAX_COMMENT_CHARS + " characters");
			}
		}
		UserClaim user = UserClaim.parse(body.get("user"), errors);
		if (!errors.isEmpty()) {
			throw ApiProblem.invalid(errors);
		}
		return new FeedbackRequest(workspaceId, token, messageId, rating, comment, user);
	}

}
