package dev.clara.chat.widget;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a workspace's public widget settings for the unauthenticated widget. The statement names
 * the workspace and picks the public keys in the database itself, so the personality prompt,
 * thresholds and the rest never even reach this service on this path.
 */
@Repository
class WidgetSettingsRepository {

	private static final String PUBLIC_SETTINGS = """
			SELECT jsonb_build_object(
			         'display_name', w.settings -> 'display_name',
			         'welcome_message', w.settings -> 'welcome_message',
			         'placeholder_text', w.settings -> 'placeholder_text',
			         'suggested_messages', w.settings -> 'suggested_messages',
			         'primary_color', w.settings -> 'primary_color',
			         'bubble_color', w.settings -> 'bubble_color',
			         'bubble_position', w.settings -> 'bubble_position',
			         'avatar_url', w.settings -> 'avatar_url',
			         'chat_icon_url', w.settings -> 'chat_icon_url',
			         'powered_by_clara', w.settings -> 'powered_by_clara')::text AS public_settings,
			       COALESCE(w.settings -> 'allowed_origins', '[]'::jsonb)::text AS allowed_origins
			FROM workspaces w
			WHERE w.id = :workspaceId
			""";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	WidgetSettingsRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** The public settings and the sites the widget may run on (empty = any site). */
	record WidgetSettings(PublicWidgetSettings settings, List<String> allowedOrigins) {

		boolean allowsOrigin(String origin) {
			return this.allowedOrigins.isEmpty() || (origin != null && this.allowedOrigins.contains(origin));
		}

	}

	Optional<WidgetSettings> find(UUID workspaceId) {
		return this.jdbc.sql(PUBLIC_SETTINGS)
			.param("workspaceId", workspaceId)
			.query((row, i) -> new WidgetSettings(
					PublicWidgetSettings.from(this.json.readTree(row.getString("public_settings"))),
					strings(this.json.readTree(row.getString("allowed_origins")))))
			.optional();
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach(value -> {
			if (value.isString() && !value.asString().isBlank()) {
				values.add(value.asString());
			}
		});
		return List.copyOf(values);
	}

}
