package dev.clara.chat.widget;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * What a visitor's browser may know of a workspace: the widget's content and style, nothing of its
 * AI settings, origins or keys. Every value is checked here, so a malformed setting falls back to
 * the default instead of reaching a page's CSS or an {@code src} attribute.
 *
 * @param suggestedMessages at most {@value #MAX_SUGGESTED_MESSAGES}, as the widget shows them
 * @param avatarUrl an absolute http(s) URL or null
 * @param chatIconUrl an absolute http(s) URL or null
 */
public record PublicWidgetSettings(String displayName, String welcomeMessage, String placeholderText,
		List<String> suggestedMessages, String primaryColor, String bubbleColor, String bubblePosition,
		String avatarUrl, String chatIconUrl, boolean poweredByClara) {

	/** The settings keys this record reads; no other key of {@code workspaces.settings} leaves the database. */
	public static final List<String> KEYS = List.of("display_name", "welcome_message", "placeholder_text",
			"suggested_messages", "primary_color", "bubble_color", "bubble_position", "avatar_url", "chat_icon_url",
			"powered_by_clara");

	static final int MAX_SUGGESTED_MESSAGES = 5;

	static final int MAX_TEXT_CHARS = 1000;

	static final int MAX_URL_CHARS = 2048;

	private static final Pattern COLOR = Pattern.compile("#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})");

	private static final Pattern HTTP_URL = Pattern.compile("https?://[^\\s\"'<>\\\\]+", Pattern.CASE_INSENSITIVE);

	/** Reads the public keys of a settings object, with the settings' defaults for what is missing or malformed. */
	static PublicWidgetSettings from(JsonNode settings) {
		return new PublicWidgetSettings(text(settings.path("display_name"), "Clara"),
				text(settings.path("welcome_message"), "Hi! How can I help you today?"),
				text(settings.path("placeholder_text"), "Type your message..."),
				suggested(settings.path("suggested_messages")), color(settings.path("primary_color"), "#6366f1"),
				color(settings.path("bubble_color"), "#000000"),
				"left".equals(settings.path("bubble_position").asString("")) ? "left" : "right",
				url(settings.path("avatar_url")), url(settings.path("chat_icon_url")),
				settings.path("powered_by_clara").asBoolean(true));
	}

	private static String text(JsonNode node, String fallback) {
		if (!node.isString() || node.asString().isBlank()) {
			return fallback;
		}
		String value = node.asString().strip();
		return value.length() > MAX_TEXT_CHARS ? value.substring(0, MAX_TEXT_CHARS) : value;
	}

	private static List<String> suggested(JsonNode array) {
		List<String> values = new ArrayList<>();
		if (array.isArray()) {
			for (JsonNode value : array) {
				if (values.size() < MAX_SUGGESTED_MESSAGES && value.isString() && !value.asString().isBlank()) {
					values.add(text(value, null));
				}
			}
		}
		return List.copyOf(values);
	}

	private static String color(JsonNode node, String fallback) {
		return node.isString() && COLOR.matcher(node.asString().strip()).matches() ? node.asString().strip() : fallback;
	}

	private static String url(JsonNode node) {
		if (!node.isString()) {
			return null;
		}
		String value = node.asString().strip();
		return value.length() <= MAX_URL_CHARS && HTTP_URL.matcher(value).matches() ? value : null;
	}

}
