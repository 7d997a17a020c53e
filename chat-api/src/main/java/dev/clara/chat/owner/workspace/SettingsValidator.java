package dev.clara.chat.owner.workspace;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Checks a settings update against the fields and ranges of the workspace settings JSON. Every
 * wrong field is reported at once; messages never repeat the value sent.
 */
public final class SettingsValidator {

	public static final Set<String> FIELDS = Set.of("display_name", "welcome_message", "placeholder_text",
			"suggested_messages", "booking_url", "primary_color", "bubble_color", "bubble_position", "avatar_url",
			"chat_icon_url", "personality_prompt", "confidence_threshold", "max_suggestion_chips",
			"escalation_enabled", "powered_by_clara", "allowed_origins", "monthly_token_budget",
			"require_verified_user", "require_user_token");

	static final Pattern COLOR = Pattern.compile("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");

	static final int MAX_ORIGINS = 20;

	/** Far above any real month; keeps the sum and the setting within a long and a JSON number. */
	static final long MAX_MONTHLY_TOKEN_BUDGET = 1_000_000_000_000L;

	private SettingsValidator() {
	}

	/** Field → message for every invalid field of {@code update} (a partial settings object). */
	public static Map<String, String> validate(JsonNode update) {
		Map<String, String> errors = new LinkedHashMap<>();
		for (String field : update.propertyNames()) {
			JsonNode value = update.get(field);
			String error = switch (field) {
				case "display_name" -> text(value, 1, 100, false);
				case "welcome_message" -> text(value, 1, 500, false);
				case "placeholder_text" -> text(value, 1, 100, false);
				case "personality_prompt" -> text(value, 1, 10_000, false);
				case "suggested_messages" -> strings(value, 5, 200);
				case "booking_url" -> url(value, true);
				case "avatar_url", "chat_icon_url" -> assetUrl(value);
				case "primary_color", "bubble_color" -> value.isString() && COLOR.matcher(value.asString()).matches()
						? null : "must be a colour like #6366f1";
				case "bubble_position" -> value.isString()
						&& ("left".equals(value.asString()) || "right".equals(value.asString())) ? null
								: "must be \"left\" or \"right\"";
				case "confidence_threshold" -> value.isNull() || (value.isNumber() && value.asDouble() >= 0.5
						&& value.asDouble() <= 0.95) ? null
								: "must be a number from 0.5 to 0.95, or null for the embedding model's default";
				case "max_suggestion_chips" -> value.isIntegralNumber() && value.asInt() >= 1 && value.asInt() <= 5
						? null : "must be a whole number from 1 to 5";
				case "escalation_enabled", "powered_by_clara", "require_verified_user", "require_user_token" -> value.isBoolean() ? null : "must be true or false";
				case "allowed_origins" -> origins(value);
				case "monthly_token_budget" -> value.isNull() || (value.isIntegralNumber() && value.canConvertToLong()
						&& value.asLong() >= 1 && value.asLong() <= MAX_MONTHLY_TOKEN_BUDGET) ? null
								: "must be a whole number from 1 to " + MAX_MONTHLY_TOKEN_BUDGET + ", or null for no cap";
				default -> "unknown setting";
			};
			if (error != null) {
				errors.put(field, error);
			}
		}
		return errors;
	}

	private static String text(JsonNode value, int min, int max, boolean nullable) {
		if (value.isNull()) {
			return nullable ? null : "must not be null";
		}
		if (!value.isString()) {
			return "must be a string";
		}
		int length = value.asString().strip().length();
		return length < min || value.asString().length() > max ? "must be " + min + " to " + max + " characters" : null;
	}

	private static String strings(JsonNode value, int maxItems, int maxChars) {
		if (!value.isArray()) {
			return "must be an array of strings";
		}
		if (value.size() > maxItems) {
			return "must have at most " + maxItems + " entries";
		}
		for (JsonNode item : value) {
			if (!item.isString() || item.asString().isBlank() || item.asString().length() > maxChars) {
				return "entries must be non-empty strings of at most " + maxChars + " characters";
			}
		}
		return null;
	}

	private static String url(JsonNode value, boolean nullable) {
		if (value.isNull()) {
			return nullable ? null : "must not be null";
		}
		if (!value.isString() || value.asString().length() > 2048 || !isHttpUrl(value.asString())) {
			return "must be an http(s) URL";
		}
		return null;
	}

	/** An absolute http(s) URL, or a path to an object Clara serves. */
	private static String assetUrl(JsonNode value) {
		if (value.isString() && value.asString().startsWith("/storage/v1/object/public/")
				&& value.asString().length() <= 1024 && !value.asString().contains("..")) {
			return null;
		}
		return url(value, true) == null ? null : "must be an http(s) URL or a /storage/v1/object/public/ path";
	}

	private static String origins(JsonNode value) {
		if (!value.isArray()) {
			return "must be an array of origins";
		}
		if (value.size() > MAX_ORIGINS) {
			return "must have at most " + MAX_ORIGINS + " entries";
		}
		for (JsonNode item : value) {
			if (!item.isString() || !isOrigin(item.asString())) {
				return "entries must be origins like https://www.example.com (scheme, host and optional port; no path)";
			}
		}
		return null;
	}

	static boolean isHttpUrl(String value) {
		try {
			URI uri = new URI(value);
			return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
					&& !uri.getHost().isBlank();
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	static boolean isOrigin(String value) {
		if (value.length() > 255 || !isHttpUrl(value)) {
			return false;
		}
		URI uri = URI.create(value);
		return (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
				&& uri.getRawFragment() == null && uri.getRawUserInfo() == null;
	}

}
