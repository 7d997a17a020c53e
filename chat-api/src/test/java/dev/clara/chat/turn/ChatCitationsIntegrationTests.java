package dev.clara.chat.turn;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import dev.clara.chat.turn.EventStreamClient.Event;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Each reply names the Q&A pairs it came from, and an LLM answer citing none of them is not used. */
class ChatCitationsIntegrationTests extends ChatApiIntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PRO_QUESTION = "How much does the Pro plan cost?";

	private static final String PRO_ANSWER = "The Pro plan is $49 per month, billed monthly, or $490 per year.";

	/** A numbered entry of the system prompt, as it appears in the provider's JSON request body. */
	private static final Pattern PROMPT_ENTRY = Pattern.compile("\\[(\\d+)\\] Q: ([^\\\\]+)\\\\n");

	@Test
	void anLlmAnswerCitesTheEntriesItUsedAndTheMarkersLeaveTheText() {
		UUID workspace = llmWorkspace();
		llm.answer("Pro costs $49 a month [1], and every plan has a free trial [1, 2].");

		JsonNode message = this.http.chat(workspace, ChatApiHttp.token(), "How much is Pro?").json().get("message");

		List<String> entries = promptEntries();
		assertThat(entries).hasSizeGreaterThanOrEqualTo(2);
		assertThat(message.get("content").asString())
			.isEqualTo("Pro costs $49 a month, and every plan has a free trial.");
		assertThat(message.get("citations")).extracting(cited -> cited.get("title").asString())
			.containsExactly(entries.get(0), entries.get(1));
		JsonNode first = message.get("citations").get(0);
		assertThat(first.get("qa_id").asString()).isEqualTo(message.get("matched_qa_ids").get(0).asString());
		assertThat(answeredBy(workspace)).isEqualTo("llm");
	}

	@Test
	void anLlmAnswerCitingNothingIsReplacedByTheExtractiveAnswerButItsTokensAreCounted() {
		UUID workspace = llmWorkspace();
		llm.answer("Pro costs 12 dollars, I believe.");

		JsonNode message = this.http.chat(workspace, ChatApiHttp.token(), "How much is Pro?").json().get("message");

		assertThat(message.get("content").asString()).isEqualTo(PRO_ANSWER);
		assertProCitation(message.get("citations"));
		assertThat(answeredBy(workspace)).isEqualTo("extractive");
		assertThat(count("SELECT count(*) FROM api_usage WHERE workspace_id = :ws", workspace)).isEqualTo(1);
	}

	@Test
	void citationNumbersOutsideTheListCiteNothing() {
		UUID workspace = llmWorkspace();
		llm.answer("Pro costs 12 dollars [0] [99].");
		JsonNode outside = this.http.chat(workspace, ChatApiHttp.token(), "How much is Pro?").json().get("message");

		assertThat(outside.get("content").asString()).isEqualTo(PRO_ANSWER);
		assertProCitation(outside.get("citations"));

		llm.reset();
		llm.answer("Pro costs $49 a month [1] [99].");
		JsonNode mixed = this.http.chat(workspace, ChatApiHttp.token(), "How much is Pro?").json().get("message");
		assertThat(mixed.get("content").asString()).isEqualTo("Pro costs $49 a month.");
		assertThat(mixed.get("citations")).hasSize(1);
	}

	@Test
	void anExtractiveAnswerCitesThePairItCameFromAndNoAnswerCitesNothing() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		String token = ChatApiHttp.token();

		JsonNode answered = this.http.chat(workspace, token, "What's the price of the pro plan?").json().get("message");
		JsonNode gap = this.http.chat(workspace, token, "Zebra migration patterns in the Serengeti?")
			.json()
			.get("message");

		assertThat(answered.get("content").asString()).isEqualTo(PRO_ANSWER);
		assertProCitation(answered.get("citations"));
		assertThat(gap.get("gap_detected").asBoolean()).isTrue();
		assertThat(gap.get("citations").isArray()).isTrue();
		assertThat(gap.get("citations")).isEmpty();
	}

	@Test
	void theHistoryReturnsEachRepliesCitations() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		String token = ChatApiHttp.token();
		Reply reply = this.http.chat(workspace, token, "What's the price of the pro plan?");

		JsonNode messages = this.http.get("/api/chat/messages?workspace_id=" + workspace, token).json().get("messages");

		assertThat(messages.get(0).has("citations")).isFalse();
		assertThat(messages.get(1).get("citations")).isEqualTo(reply.json().get("message").get("citations"));
		assertProCitation(messages.get(1).get("citations"));
	}

	@Test
	void aStreamedAnswersFinalMessageCarriesTheCitationsAndTheUncitedPreviewIsReplaced() throws Exception {
		UUID workspace = llmWorkspace();
		EventStreamClient sse = new EventStreamClient(this.http.baseUrl());
		List<Event> cited;
		try (EventStreamClient.Response response = sse
			.post(ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "How much is Pro?"))) {
			cited = response.readAll();
		}
		llm.answer("Pro costs 12 dollars, I believe.");
		List<Event> uncited;
		try (EventStreamClient.Response response = sse
			.post(ChatApiHttp.body(workspace, ChatApiHttp.token(), UUID.randomUUID(), "How much is Pro?"))) {
			uncited = response.readAll();
		}

		JsonNode citedMessage = JSON.readTree(cited.get(cited.size() - 1).data()).get("message");
		assertThat(cited.get(cited.size() - 2).data()).contains("[1]");
		assertThat(citedMessage.get("content").asString()).isEqualTo("Our Pro plan costs 49 dollars a month.");
		assertThat(citedMessage.get("citations")).hasSize(1);
		JsonNode uncitedMessage = JSON.readTree(uncited.get(uncited.size() - 1).data()).get("message");
		assertThat(uncited).extracting(Event::name).contains("delta").last().isEqualTo("message");
		assertThat(uncitedMessage.get("content").asString()).isEqualTo(PRO_ANSWER);
		assertProCitation(uncitedMessage.get("citations"));
	}

	private UUID llmWorkspace() {
		UUID workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(workspace);
		addWorkspaceKey(workspace, "sk-test-citations-" + UUID.randomUUID());
		return workspace;
	}

	private static void assertProCitation(JsonNode citations) {
		assertThat(citations).hasSize(1);
		assertThat(citations.get(0).get("title").asString()).isEqualTo(PRO_QUESTION);
		assertThat(citations.get(0).get("snippet").asString()).isEqualTo(PRO_ANSWER);
		assertThat(citations.get(0).get("qa_id").asString()).isNotBlank();
	}

	/** The questions of the knowledge-base entries the last prompt numbered, in their order. */
	private static List<String> promptEntries() {
		String body = llm.received().get(llm.received().size() - 1).body();
		List<String> questions = new ArrayList<>();
		Matcher entry = PROMPT_ENTRY.matcher(body);
		while (entry.find()) {
			assertThat(entry.group(1)).isEqualTo(String.valueOf(questions.size() + 1));
			questions.add(entry.group(2));
		}
		return questions;
	}

	private String answeredBy(UUID workspace) {
		String metadata = this.jdbc.sql("SELECT metadata::text FROM messages WHERE workspace_id = :ws AND role = 'assistant'"
				+ " ORDER BY created_at DESC LIMIT 1")
			.param("ws", workspace)
			.query(String.class)
			.single();
		return JSON.readTree(metadata).get("answered_by").asString();
	}

}
