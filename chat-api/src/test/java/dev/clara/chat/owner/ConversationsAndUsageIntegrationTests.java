package dev.clara.chat.owner;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationsAndUsageIntegrationTests extends OwnerIntegrationTest {

	@Test
	void conversationsAreListedNewestFirstAndReadWithTheirMessages() {
		Owner owner = owner();
		this.workspaces.saasKnowledgeBase(owner.workspaceId());
		UUID older = conversation(owner, "Old question", "Old answer");
		String token = ChatApiHttp.token();
		assertThat(this.http.chat(owner.workspaceId(), token, "Can I get a refund?").status()).isEqualTo(200);

		JsonNode list = get(owner.token(), "/api/owner/conversations").json();
		assertThat(list.get("total").asInt()).isEqualTo(2);
		JsonNode newest = list.get("items").get(0);
		assertThat(newest.get("message_count").asInt()).isEqualTo(2);
		assertThat(newest.has("session_token")).isFalse();
		assertThat(list.get("items").get(1).get("id").asString()).isEqualTo(older.toString());

		JsonNode read = get(owner.token(), "/api/owner/conversations/" + newest.get("id").asString()).json();
		assertThat(read.get("messages")).hasSize(2);
		assertThat(read.get("messages").get(0).get("role").asString()).isEqualTo("user");
		assertThat(read.get("messages").get(0).get("content").asString()).isEqualTo("Can I get a refund?");
		assertThat(read.get("messages").get(1).get("role").asString()).isEqualTo("assistant");
		assertThat(read.get("messages").get(1).get("metadata").has("confidence")).isTrue();
		assertThat(get(owner.token(), "/api/owner/conversations?escalated=true").json().get("total").asInt()).isZero();
	}

	@Test
	void usageIsTokensPerModelPerDay() {
		Owner owner = owner();
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		for (int i = 0; i < 3; i++) {
			usage(owner, "gpt-4o-mini", 100, 20, "now()");
		}
		usage(owner, "gpt-4o", 1000, 200, "now()");
		usage(owner, "gpt-4o-mini", 10, 2, "now() - interval '2 days'");
		usage(owner, "gpt-4o-mini", 10, 2, "now() - interval '40 days'");

		JsonNode usage = get(owner.token(), "/api/owner/usage").json();
		assertThat(usage.get("to").asString()).isEqualTo(today.toString());
		assertThat(usage.get("days")).hasSize(3);
		JsonNode mini = null;
		for (JsonNode day : usage.get("days")) {
			if (day.get("day").asString().equals(today.toString()) && day.get("model").asString().equals("gpt-4o-mini")) {
				mini = day;
			}
		}
		assertThat(mini).isNotNull();
		assertThat(mini.get("calls").asInt()).isEqualTo(3);
		assertThat(mini.get("prompt_tokens").asInt()).isEqualTo(300);
		assertThat(mini.get("completion_tokens").asInt()).isEqualTo(60);
		assertThat(mini.get("total_tokens").asInt()).isEqualTo(360);
		assertThat(usage.get("total_tokens").asInt()).isEqualTo(360 + 1200 + 12);

		JsonNode all = get(owner.token(), "/api/owner/usage?from=" + today.minusDays(60) + "&to=" + today).json();
		assertThat(all.get("days")).hasSize(4);
		assertThat(get(owner.token(), "/api/owner/usage?from=yesterday").status()).isEqualTo(400);
		assertThat(get(owner.token(), "/api/owner/usage?from=" + today + "&to=" + today.minusDays(1)).status()).isEqualTo(400);
		assertThat(get(owner.token(), "/api/owner/usage?from=2020-01-01&to=" + today).status()).isEqualTo(400);
	}

	private void usage(Owner owner, String model, int prompt, int completion, String at) {
		this.jdbc.sql("INSERT INTO api_usage (workspace_id, provider, model, prompt_tokens, completion_tokens, total_tokens, created_at) "
				+ "VALUES (:ws, 'openai', :model, :p, :c, :t, " + at + ")")
			.param("ws", owner.workspaceId())
			.param("model", model)
			.param("p", prompt)
			.param("c", completion)
			.param("t", prompt + completion)
			.update();
	}

}
