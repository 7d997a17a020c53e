package dev.clara.chat.turn;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The widget on an owner's site: preflights pass, and each workspace decides which sites it serves. */
class ChatCorsIntegrationTests extends ChatApiIntegrationTest {

	@Test
	void aBrowserPreflightForTheSessionHeaderIsAnswered() {
		Reply preflight = this.http.send(HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/api/chat/messages?workspace_id=" + UUID.randomUUID()))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", "https://shop.example.test")
			.header("Access-Control-Request-Method", "GET")
			.header("Access-Control-Request-Headers", "x-clara-session-token")
			.build());

		assertThat(preflight.status()).isEqualTo(200);
		assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.example.test");
		assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("X-Clara-Session-Token");
	}

	@Test
	void aWorkspaceAnswersOnlyTheSitesItAllows() {
		UUID workspace = this.workspaces.create();
		this.workspaces.settings(workspace, "{\"allowed_origins\": [\"https://shop.example.test\"]}");
		String body = ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "Hello?");

		Reply allowed = post(body, "https://shop.example.test");
		Reply other = post(ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "Hello?"),
				"https://evil.example.test");

		assertThat(allowed.status()).isEqualTo(200);
		assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.example.test");
		assertThat(other.status()).isEqualTo(403);
		assertThat(other.header("Content-Type")).startsWith("application/problem+json");
		assertThat(count("SELECT count(*) FROM messages WHERE workspace_id = :ws", workspace)).isEqualTo(2);
	}

	private Reply post(String body, String origin) {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/api/chat"))
			.header("Content-Type", "application/json")
			.header("Origin", origin)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

}
