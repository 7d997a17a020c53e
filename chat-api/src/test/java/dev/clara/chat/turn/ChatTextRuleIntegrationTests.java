package dev.clara.chat.turn;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.Stream;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The text rule (docs/security.md, "Text") on the public chat: NUL and the other control
 * characters, unpaired surrogates and bytes that are not UTF-8 are a 400 naming the field, before
 * the LLM is called, so nothing is stored and no paid completion goes unrecorded.
 */
class ChatTextRuleIntegrationTests extends ChatApiIntegrationTest {

	UUID workspace;

	String token;

	@BeforeEach
	void workspace() {
		this.workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(this.workspace);
		// with a key, a valid message is answered by the (fake) LLM: a refused one must never get there
		addWorkspaceKey(this.workspace, "sk-test-text-rule-4321");
		this.token = ChatApiHttp.token();
	}

	/** JSON escapes as a client would send them: the parsed strings hold the characters. */
	static Stream<Arguments> refused() {
		return Stream.of(
				Arguments.of("NUL in content", "\"content\":\"How much is Pro?\\u0000\"", "content", "control characters"),
				Arguments.of("BEL in content", "\"content\":\"ring \\u0007\"", "content", "control characters"),
				Arguments.of("ESC in content", "\"content\":\"\\u001b[31mred\"", "content", "control characters"),
				Arguments.of("DEL in content", "\"content\":\"del \\u007f\"", "content", "control characters"),
				Arguments.of("C1 CSI in content", "\"content\":\"csi \\u009b\"", "content", "control characters"),
				Arguments.of("lone high surrogate in content", "\"content\":\"Hi \\ud800\"", "content", "well-formed Unicode"),
				Arguments.of("lone low surrogate in content", "\"content\":\"\\udc00 Hi\"", "content", "well-formed Unicode"),
				Arguments.of("NUL in visitor.name",
						"\"content\":\"How much is Pro?\",\"visitor\":{\"name\":\"Ann\\u0000\"}", "visitor.name",
						"control characters"),
				Arguments.of("lone surrogate in visitor.name",
						"\"content\":\"How much is Pro?\",\"visitor\":{\"name\":\"\\ud83d\"}", "visitor.name",
						"well-formed Unicode"),
				Arguments.of("NUL in visitor.email",
						"\"content\":\"How much is Pro?\",\"visitor\":{\"email\":\"ann\\u0000@example.com\"}", "visitor.email",
						"control characters"),
				Arguments.of("NUL in an unknown field's name",
						"\"content\":\"How much is Pro?\",\"x\\u0000y\":1", "body", "property name"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refused")
	void textTheRuleRefusesIs400NamingTheFieldBeforeTheLlm(String what, String fields, String field, String message) {
		long before = rows();
		String body = "{\"workspace_id\":\"" + this.workspace + "\",\"session_token\":\"" + this.token
				+ "\",\"message_id\":\"" + UUID.randomUUID() + "\"," + fields + "}";

		Reply reply = this.http.post("/api/chat", body);

		assertThat(reply.status()).as(what).isEqualTo(400);
		assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		assertThat(reply.json().get("errors").get(0).asString()).as(what).startsWith(field + " ").contains(message);
		assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\\u0000").doesNotContain("Ann")
			.doesNotContain("\\ud8");
		assertThat(llm.completions()).as(what + ": no completion was paid for").isZero();
		assertThat(rows()).as(what + ": nothing stored").isEqualTo(before);
	}

	@Test
	void aRefusedMessageLeavesItsIdFreeForTheRetry() {
		UUID messageId = UUID.randomUUID();
		// the JSON escape: a Java string with a lone surrogate would go out as "?" in UTF-8
		Reply refused = this.http.post("/api/chat", ChatApiHttp.body(this.workspace, this.token, messageId, "How much is Pro? X")
			.replace(" X\"", " \\ud800\""));
		assertThat(refused.status()).isEqualTo(400);

		Reply retried = this.http.post("/api/chat", ChatApiHttp.body(this.workspace, this.token, messageId, "How much is Pro?"));

		assertThat(retried.status()).as("not 422: the first send stored nothing").isEqualTo(200);
		assertThat(llm.completions()).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM api_usage WHERE workspace_id = :ws", this.workspace)).isEqualTo(1);
	}

	@Test
	void tabsAndLineEndsAreText() {
		Reply reply = this.http.post("/api/chat", ChatApiHttp.body(this.workspace, this.token, UUID.randomUUID(),
				"How much\tis Pro?\r\nAnd per year?"));

		assertThat(reply.status()).isEqualTo(200);
		assertThat(this.jdbc.sql("SELECT content FROM messages WHERE workspace_id = :ws AND role = 'user'")
			.param("ws", this.workspace).query(String.class).single()).isEqualTo("How much\tis Pro?\r\nAnd per year?");
	}

	@Test
	void bytesThatAreNotUtf8Are400NotReplaced() {
		long before = rows();
		byte[] head = ("{\"workspace_id\":\"" + this.workspace + "\",\"session_token\":\"" + this.token
				+ "\",\"message_id\":\"" + UUID.randomUUID() + "\",\"content\":\"How much is Pro? ").getBytes(StandardCharsets.UTF_8);
		for (byte[] bad : new byte[][] { { (byte) 0xff }, { (byte) 0xc3 }, { (byte) 0xed, (byte) 0xa0, (byte) 0x80 },
				{ (byte) 0xc0, (byte) 0xaf } }) {
			byte[] body = concat(head, bad, "\"}".getBytes(StandardCharsets.UTF_8));
			Reply reply = this.http.send(HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/api/chat"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(body))
				.build());

			assertThat(reply.status()).isEqualTo(400);
			assertThat(reply.json().get("detail").asString()).contains("not valid UTF-8");
		}
		assertThat(llm.completions()).isZero();
		assertThat(rows()).isEqualTo(before);
	}

	@Test
	void queryParametersFollowTheRule() {
		String messages = "/api/chat/messages?workspace_id=" + this.workspace;
		assertThat(this.http.get(messages, this.token).status()).isEqualTo(200);

		Reply nul = this.http.get(messages + "&session_token=%00", this.token);
		assertThat(nul.status()).isEqualTo(400);
		assertThat(nul.header("Content-Type")).startsWith("application/problem+json");
		assertThat(nul.json().get("detail").asString()).isEqualTo("query parameter session_token: " + dev.clara.chat.web.Texts.CONTROL);

		Reply c1 = this.http.get(messages + "&session_token=%C2%9B", this.token);
		assertThat(c1.status()).isEqualTo(400);
		Reply notUtf8 = this.http.get(messages + "&session_token=%FF", this.token);
		assertThat(notUtf8.status()).isEqualTo(400);
		assertThat(notUtf8.json().get("detail").asString()).contains("UTF-8");
		Reply surrogate = this.http.get(messages + "&session_token=%ED%A0%80", this.token);
		assertThat(surrogate.status()).isEqualTo(400);
		Reply badName = this.http.get(messages + "&x%01y=1", this.token);
		assertThat(badName.status()).isEqualTo(400);
		assertThat(badName.body()).doesNotContain("x\\u0001y");
	}

	@Test
	void theSessionHeaderFollowsTheRule() throws IOException {
		// a C1 control (0x9B) in a header value: the raw bytes, as no well-behaved client sends them
		String token = "t".repeat(40) + (char) 0x9b;
		String reply = raw("GET /api/chat/messages?workspace_id=" + this.workspace + " HTTP/1.1\r\nHost: localhost\r\n"
				+ "X-Clara-Session-Token: " + token + "\r\nConnection: close\r\n\r\n");
		assertThat(reply).startsWith("HTTP/1.1 400");
		assertThat(reply).contains("X-Clara-Session-Token header");
	}

	private String raw(String request) throws IOException {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static byte[] concat(byte[]... parts) {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	private long rows() {
		return this.jdbc.sql("SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM conversations)"
				+ " + (SELECT count(*) FROM outbox_events) + (SELECT count(*) FROM api_usage)").query(Long.class).single();
	}

}
