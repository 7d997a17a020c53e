package dev.clara.chat.turn;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The question's embedding starts when the request is claimed, before the checks: the turn uses it
 * rather than embedding again, and a request the checks refuse does not keep its message claimed.
 */
class EarlyEmbeddingIntegrationTests extends ChatApiIntegrationTest {

	@Test
	void aTurnEmbedsItsQuestionOnce() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		embeddingCalls().reset();

		Reply reply = this.http.chat(workspace, ChatApiHttp.token(), "How much is the Pro plan?");

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.json().get("message").get("content").asString()).contains("$49 per month");
		assertThat(embeddingCalls().calls()).isEqualTo(1);
	}

	@Test
	void aRequestTheChecksRefuseLeavesItsMessageToTheNextTry() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		this.workspaces.settings(workspace, "{\"allowed_origins\": [\"https://shop.example.test\"]}");
		String body = ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "Can I get a refund?");

		Reply refused = post(body, "https://elsewhere.example.test");
		Reply answered = post(body, "https://shop.example.test");

		assertThat(refused.status()).isEqualTo(403);
		assertThat(answered.status()).isEqualTo(200);
		assertThat(answered.json().get("message").get("content").asString()).contains("30 days");
	}

	private Reply post(String body, String origin) {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/api/chat"))
			.header("Content-Type", "application/json")
			.header("Origin", origin)
			// a claim the refusal kept would leave the next try waiting for ever
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

}
