package dev.clara.chat.feedback;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/chat/feedback} against the real server and database. */
class FeedbackIntegrationTests extends ChatApiIntegrationTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	UUID workspace;

	String token;

	JsonNode answer;

	@BeforeEach
	void answered() {
		this.workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(this.workspace);
		this.token = ChatApiHttp.token();
		Reply reply = this.http.chat(this.workspace, this.token, "What's the price of the pro plan?");
		assertThat(reply.status()).isEqualTo(200);
		this.answer = reply.json().get("message");
	}

	@Test
	void theLastRatingWinsAndTheSameRatingAgainChangesNothing() {
		UUID message = UUID.fromString(this.answer.get("message_id").asString());

		Reply down = rate(message, "down", "That is last year's price.");
		assertThat(down.status()).isEqualTo(200);
		assertThat(down.json().get("rating").asString()).isEqualTo("down");
		assertThat(down.json().get("comment").asString()).isEqualTo("That is last year's price.");
		assertThat(down.json().get("message_id").asString()).isEqualTo(message.toString());
		assertThat(events()).hasSize(1);

		Reply again = rate(message, "down", "  That is last year's price.  ");
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.json().get("rated_at").asString()).isEqualTo(down.json().get("rated_at").asString());
		assertThat(events()).as("an identical post publishes nothing").hasSize(1);

		Reply up = rate(message, "up", null);
		assertThat(up.status()).isEqualTo(200);
		assertThat(up.json().get("rating").asString()).isEqualTo("up");
		assertThat(up.json().has("comment")).isFalse();
		assertThat(this.jdbc.sql("SELECT rating FROM message_feedback WHERE workspace_id = :ws")
			.param("ws", this.workspace)
			.query(String.class)
			.list()).containsExactly("up");
		assertThat(events()).hasSize(2);
	}

	@Test
	void theOutboxRowIsAValidAnswerRatedWithTheQuestionAndTheAnswer() throws IOException {
		UUID message = UUID.fromString(this.answer.get("message_id").asString());
		assertThat(rate(message, "down", "Wrong plan").status()).isEqualTo(200);

		String event = events().get(0);
		try (InputStream in = getClass().getClassLoader().getResourceAsStream("events/answer-rated.v1.schema.json")) {
			Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
			assertThat(schema.validate(event, InputFormat.JSON,
					(context) -> context.executionConfig((config) -> config.formatAssertionsEnabled(true))))
				.isEmpty();
		}
		JsonNode payload = JSON.readTree(event).get("payload");
		assertThat(JSON.readTree(event).get("event_type").asString()).isEqualTo("AnswerRated");
		assertThat(payload.get("question").asString()).isEqualTo("What's the price of the pro plan?");
		assertThat(payload.get("answer").asString()).isEqualTo(this.answer.get("content").asString());
		assertThat(payload.get("matched_qa_ids")).isEqualTo(this.answer.get("matched_qa_ids"));
		assertThat(payload.get("confidence").asDouble()).isEqualTo(this.answer.get("confidence").asDouble());
		assertThat(payload.get("rating").asString()).isEqualTo("down");
		assertThat(payload.get("comment").asString()).isEqualTo("Wrong plan");
		assertThat(this.jdbc.sql("SELECT aggregate_type FROM outbox_events WHERE workspace_id = :ws AND event_type = 'AnswerRated'")
			.param("ws", this.workspace)
			.query(String.class)
			.single()).isEqualTo("conversation");
	}

	@Test
	void anotherSessionsAnUnknownOrAVisitorsMessageIsTheSame404() {
		UUID message = UUID.fromString(this.answer.get("message_id").asString());
		String otherToken = ChatApiHttp.token();
		assertThat(this.http.chat(this.workspace, otherToken, "Hello there").status()).isEqualTo(200);
		UUID visitorMessage = this.jdbc.sql("""
				SELECT m.message_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
				WHERE c.session_token = :t AND m.role = 'user'""").param("t", this.token).query(UUID.class).single();

		Reply otherSession = post(body(this.workspace, otherToken, message, "down", null));
		Reply unknown = rate(UUID.randomUUID(), "down", null);
		Reply notAnAnswer = rate(visitorMessage, "down", null);
		UUID otherWorkspace = this.workspaces.create();
		Reply otherTenant = post(body(otherWorkspace, this.token, message, "down", null));

		for (Reply reply : List.of(otherSession, unknown, notAnAnswer, otherTenant)) {
			assertThat(reply.status()).isEqualTo(404);
			assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
			assertThat(reply.json().get("title").asString()).isEqualTo("Unknown message");
		}
		// the same words whatever the reason: which ids exist elsewhere is not told
		assertThat(otherSession.json().get("detail").asString())
			.isEqualTo("This conversation has no answer with the id " + message);
		assertThat(events()).isEmpty();
	}

	@Test
	void badInputIsA400NamingTheField() {
		UUID message = UUID.fromString(this.answer.get("message_id").asString());
		Reply nul = rate(message, "down", "bad\u0000text");
		assertThat(nul.status()).isEqualTo(400);
		assertThat(nul.body()).contains("comment must not contain control characters").doesNotContain("bad");
		// escaped in the JSON: a lone surrogate in a Java string would reach the wire as "?"
		Reply surrogate = post(body(this.workspace, this.token, message, "down", "x").replace("\"x\"", "\"x\\uD800\""));
		assertThat(surrogate.status()).isEqualTo(400);
		assertThat(surrogate.body()).contains("comment must be well-formed Unicode");
		Reply tooLong = rate(message, "down", "é".repeat(1001));
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(tooLong.body()).contains("comment must be at most 1000 characters");
		assertThat(rate(message, "down", "é".repeat(1000)).status()).isEqualTo(200);
		Reply rating = rate(message, "meh", null);
		assertThat(rating.status()).isEqualTo(400);
		assertThat(rating.body()).contains("rating must be");
		assertThat(post("{}").status()).isEqualTo(400);
		assertThat(post("not json").status()).isEqualTo(400);
		assertThat(post("{\"workspace_id\": 1}").json().get("errors").toString()).contains("workspace_id must be a string");
		assertThat(events()).hasSize(1);
	}

	@Test
	void aSiteTheWorkspaceDoesNotAllowIsRefused() {
		this.workspaces.settings(this.workspace, "{\"allowed_origins\": [\"https://shop.example.test\"]}");
		UUID message = UUID.fromString(this.answer.get("message_id").asString());
		String body = body(this.workspace, this.token, message, "up", null);
		assertThat(this.http.send(request(body).header("Origin", "https://evil.example.test").build()).status())
			.isEqualTo(403);
		assertThat(this.http.send(request(body).header("Origin", "https://shop.example.test").build()).status())
			.isEqualTo(200);
	}

	private Reply rate(UUID message, String rating, String comment) {
		return post(body(this.workspace, this.token, message, rating, comment));
	}

	private Reply post(String body) {
		return this.http.post("/api/chat/feedback", body);
	}

	private HttpRequest.Builder request(String body) {
		return HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/api/chat/feedback"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	static String body(UUID workspace, String token, UUID message, String rating, String comment) {
		ObjectNode body = JSON.createObjectNode()
			.put("workspace_id", workspace.toString())
			.put("session_token", token)
			.put("message_id", message.toString())
			.put("rating", rating);
		if (comment != null) {
			body.put("comment", comment);
		}
		return body.toString();
	}

	private List<String> events() {
		return this.jdbc.sql("""
				SELECT payload::text FROM outbox_events WHERE workspace_id = :ws AND event_type = 'AnswerRated'
				ORDER BY created_at, id""").param("ws", this.workspace).query(String.class).list();
	}

}
