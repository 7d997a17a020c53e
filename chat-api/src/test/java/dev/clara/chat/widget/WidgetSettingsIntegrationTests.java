package dev.clara.chat.widget;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class WidgetSettingsIntegrationTests extends ChatApiIntegrationTest {

	private static final String SECRET_PROMPT = "Secret business context: margin is 83%";

	@Test
	void returnsOnlyWhatAVisitorMaySee() {
		UUID workspace = this.workspaces.create();
		this.workspaces.settings(workspace, """
				{"display_name": "Ada", "welcome_message": "Hello there", "placeholder_text": "Ask Ada...",
				 "suggested_messages": ["One?", "Two?"], "primary_color": "#0f766e", "bubble_color": "#123",
				 "bubble_position": "left", "avatar_url": "https://cdn.example.test/a.png",
				 "chat_icon_url": "https://cdn.example.test/i.png", "powered_by_clara": true,
				 "personality_prompt": "%s", "confidence_threshold": 0.81, "max_suggestion_chips": 4,
				 "booking_url": "https://cal.example.test/private", "escalation_enabled": true,
				 "allowed_origins": []}
				""".formatted(SECRET_PROMPT));
		addWorkspaceKey(workspace, "sk-test-widget-never-leaks-1234");

		Reply reply = get(workspace, null);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.header("Content-Type")).startsWith("application/json");
		JsonNode body = reply.json();
		List<String> fields = new ArrayList<>(body.propertyNames());
		assertThat(fields).containsExactlyInAnyOrderElementsOf(PublicWidgetSettings.KEYS);
		assertThat(body.get("display_name").asString()).isEqualTo("Ada");
		assertThat(body.get("welcome_message").asString()).isEqualTo("Hello there");
		assertThat(body.get("placeholder_text").asString()).isEqualTo("Ask Ada...");
		assertThat(body.get("suggested_messages").toString()).isEqualTo("[\"One?\",\"Two?\"]");
		assertThat(body.get("primary_color").asString()).isEqualTo("#0f766e");
		assertThat(body.get("bubble_color").asString()).isEqualTo("#123");
		assertThat(body.get("bubble_position").asString()).isEqualTo("left");
		assertThat(body.get("avatar_url").asString()).isEqualTo("https://cdn.example.test/a.png");
		assertThat(body.get("chat_icon_url").asString()).isEqualTo("https://cdn.example.test/i.png");
		assertThat(body.get("powered_by_clara").asBoolean()).isTrue();
		assertThat(reply.body()).doesNotContain(SECRET_PROMPT, "0.81", "private", "allowed_origins", "1234", "sk-");
	}

	@Test
	void aNewWorkspaceGetsTheSpecificationsDefaults() {
		UUID workspace = this.workspaces.create();

		JsonNode body = get(workspace, null).json();

		assertThat(body.get("display_name").asString()).isEqualTo("Clara");
		assertThat(body.get("welcome_message").asString()).isEqualTo("Hi! How can I help you today?");
		assertThat(body.get("placeholder_text").asString()).isEqualTo("Type your message...");
		assertThat(body.get("suggested_messages")).isEmpty();
		assertThat(body.get("primary_color").asString()).isEqualTo("#6366f1");
		assertThat(body.get("bubble_color").asString()).isEqualTo("#000000");
		assertThat(body.get("bubble_position").asString()).isEqualTo("right");
		assertThat(body.get("avatar_url").isNull()).isTrue();
		assertThat(body.get("chat_icon_url").isNull()).isTrue();
		assertThat(body.get("powered_by_clara").asBoolean()).isTrue();
	}

	@Test
	void malformedSettingsFallBackToSafeValues() {
		UUID workspace = this.workspaces.create();
		this.workspaces.settings(workspace, """
				{"display_name": "   ", "primary_color": "red; background: url(https://evil.test/x)",
				 "bubble_color": 12, "bubble_position": "top", "avatar_url": "javascript:alert(1)",
				 "chat_icon_url": "https://ok.test/i.png\\" onerror=\\"alert(1)",
				 "suggested_messages": ["1", "2", "", 3, "4", "5", "6", "7"]}
				""");

		JsonNode body = get(workspace, null).json();

		assertThat(body.get("display_name").asString()).isEqualTo("Clara");
		assertThat(body.get("primary_color").asString()).isEqualTo("#6366f1");
		assertThat(body.get("bubble_color").asString()).isEqualTo("#000000");
		assertThat(body.get("bubble_position").asString()).isEqualTo("right");
		assertThat(body.get("avatar_url").isNull()).isTrue();
		assertThat(body.get("chat_icon_url").isNull()).isTrue();
		assertThat(body.get("suggested_messages").toString()).isEqualTo("[\"1\",\"2\",\"4\",\"5\",\"6\"]");
	}

	@Test
	void anUnknownWorkspaceIsA404Problem() {
		Reply reply = get(UUID.randomUUID(), null);

		assertThat(reply.status()).isEqualTo(404);
		assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		assertThat(reply.json().get("title").asString()).isEqualTo("Unknown workspace");
		assertThat(reply.header("Cache-Control")).isNull();
	}

	@Test
	void aMalformedWorkspaceIdIsA400Problem() {
		Reply reply = this.http.get("/api/widget/not-a-uuid/settings", null);

		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		assertThat(reply.json().get("detail").asString()).contains("UUID");
	}

	@Test
	void anyOriginMayReadTheSettingsOfAWorkspaceWithoutAllowedOrigins() {
		UUID workspace = this.workspaces.create();

		Reply reply = get(workspace, "https://shop.example.test");

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.example.test");
		assertThat(reply.raw().headers().allValues("Vary")).anySatisfy(vary -> assertThat(vary).containsIgnoringCase("Origin"));
		assertThat(reply.header("Cache-Control")).contains("max-age=60").contains("public");
	}

	@Test
	void onlyTheAllowedOriginsMayReadTheSettings() {
		UUID workspace = this.workspaces.create();
		this.workspaces.settings(workspace, "{\"allowed_origins\": [\"https://allowed.example.test\"]}");

		Reply allowed = get(workspace, "https://allowed.example.test");
		Reply other = get(workspace, "https://other.example.test");
		Reply sameSiteOrNoBrowser = get(workspace, null);

		assertThat(allowed.status()).isEqualTo(200);
		assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://allowed.example.test");
		assertThat(other.status()).isEqualTo(403);
		assertThat(other.header("Content-Type")).startsWith("application/problem+json");
		assertThat(other.header("Access-Control-Allow-Origin")).isNull();
		assertThat(sameSiteOrNoBrowser.status()).isEqualTo(200);
		assertThat(sameSiteOrNoBrowser.header("Access-Control-Allow-Origin")).isNull();
	}

	@Test
	void servesTheWidgetScriptAndTheDemoPage() {
		Reply script = this.http.get("/widget.js", null);
		Reply page = this.http.get("/", null);

		assertThat(script.status()).isEqualTo(200);
		assertThat(script.header("Content-Type")).contains("javascript");
		assertThat(script.header("Cache-Control")).contains("max-age=300").contains("public");
		assertThat(script.body()).contains("attachShadow", "/api/widget/", "X-Clara-Session-Token");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains(
				"<script src=\"/widget.js\" data-workspace=\"00000000-0000-0000-0000-00000000c1a4\" async></script>");
	}

	private Reply get(UUID workspace, String origin) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(this.http.baseUrl() + "/api/widget/" + workspace + "/settings"))
			.GET();
		if (origin != null) {
			request.header("Origin", origin);
		}
		return this.http.send(request.build());
	}

}
