package dev.clara.chat.turn;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;
import java.util.stream.Stream;

import dev.clara.chat.ChatApiHttp;
import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.ChatApiIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad request gets its problem status, and nothing is written. */
class ChatBadInputIntegrationTests extends ChatApiIntegrationTest {

	static final UUID WORKSPACE = UUID.fromString("00000000-0000-0000-0000-00000000ba51");

	static final String TOKEN = "bad-input-token-0123456789abcdefghijklmnop";

	static final String MESSAGE_ID = "0b8e2f2e-7d0c-4b7e-9a51-3f5f0d9b7a11";

	UUID workspace;

	@BeforeEach
	void workspace() {
		this.workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(this.workspace);
	}

	static Stream<Arguments> badRequests() {
		String ok = "\"session_token\":\"" + TOKEN + "\",\"message_id\":\"" + MESSAGE_ID + "\",\"content\":\"Hi\"";
		return Stream.of(
				Arguments.of("missing workspace_id", "{" + ok + "}", 400),
				Arguments.of("missing content", "{\"workspace_id\":\"WS\",\"session_token\":\"" + TOKEN
						+ "\",\"message_id\":\"" + MESSAGE_ID + "\"}", 400),
				Arguments.of("missing session_token",
						"{\"workspace_id\":\"WS\",\"message_id\":\"" + MESSAGE_ID + "\",\"content\":\"Hi\"}", 400),
				Arguments.of("missing message_id",
						"{\"workspace_id\":\"WS\",\"session_token\":\"" + TOKEN + "\",\"content\":\"Hi\"}", 400),
				Arguments.of("content is a number", "{\"workspace_id\":\"WS\",\"session_token\":\"" + TOKEN
						+ "\",\"message_id\":\"" + MESSAGE_ID + "\",\"content\":42}", 400),
				Arguments.of("workspace_id is an object", "{\"workspace_id\":{\"id\":1}," + ok + "}", 400),
				Arguments.of("workspace_id is not a UUID", "{\"workspace_id\":\"not-a-uuid\"," + ok + "}", 400),
				Arguments.of("message_id is not a UUID", "{\"workspace_id\":\"WS\",\"session_token\":\"" + TOKEN
						+ "\",\"message_id\":\"1234\",\"content\":\"Hi\"}", 400),
				Arguments.of("empty content", "{\"workspace_id\":\"WS\",\"session_token\":\"" + TOKEN
						+ "\",\"message_id\":\"" + MESSAGE_ID + "\",\"content\":\"   \"}", 400),
				Arguments.of("content over 4,000 characters", "{\"workspace_id\":\"WS\",\"session_token\":\"" + TOKEN
						+ "\",\"message_id\":\"" + MESSAGE_ID + "\",\"content\":\"" + "a".repeat(4001) + "\"}", 400),
				Arguments.of("session token too short", "{\"workspace_id\":\"WS\",\"session_token\":\"short\","
						+ "\"message_id\":\"" + MESSAGE_ID + "\",\"content\":\"Hi\"}", 400),
				Arguments.of("visitor e-mail is not an address",
						"{\"workspace_id\":\"WS\"," + ok + ",\"visitor\":{\"email\":\"nope\"}}", 400),
				Arguments.of("not JSON", "content=hello", 400),
				Arguments.of("truncated JSON", "{\"workspace_id\":\"WS\",", 400),
				Arguments.of("a JSON array", "[1,2,3]", 400),
				Arguments.of("empty body", "", 400),
				Arguments.of("unknown workspace", "{\"workspace_id\":\"" + WORKSPACE + "\"," + ok + "}", 404),
				Arguments.of("body over 16 KiB", "{\"workspace_id\":\"WS\",\"session_token\":\"" + TOKEN
						+ "\",\"message_id\":\"" + MESSAGE_ID + "\",\"content\":\"" + "a".repeat(17000) + "\"}", 413));
	}

	@ParameterizedTest(name = "{0} -> {2}")
	@MethodSource("badRequests")
	void badRequestGetsItsProblemAndWritesNothing(String what, String body, int status) {
		long before = rows();

		Reply reply = this.http.post("/api/chat", body.replace("WS", this.workspace.toString()));

		assertThat(reply.status()).as(what).isEqualTo(status);
		assertThat(reply.header("Content-Type")).as(what).startsWith("application/problem+json");
		assertThat(reply.json().get("status").asInt()).isEqualTo(status);
		assertThat(reply.json().get("title").asString()).isNotBlank();
		assertThat(reply.body()).doesNotContain("Exception").doesNotContain("at dev.clara");
		assertThat(rows()).as(what + ": nothing written").isEqualTo(before);
	}

	@ParameterizedTest(name = "chunked body over 16 KiB")
	@MethodSource("chunkedOversized")
	void chunkedBodyOverTheLimitIs413(byte[] body) {
		long before = rows();
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/api/chat"))
			.header("Content-Type", "application/json")
			// a publisher of unknown length makes the client send the body chunked, with no Content-Length
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
			.build();

		Reply reply = this.http.send(request);

		assertThat(reply.status()).isEqualTo(413);
		assertThat(rows()).isEqualTo(before);
	}

	static Stream<Arguments> chunkedOversized() {
		String body = ChatApiHttp.body(WORKSPACE, TOKEN, UUID.fromString(MESSAGE_ID), "b".repeat(20000));
		return Stream.of(Arguments.of((Object) body.getBytes()));
	}

	private long rows() {
		return this.jdbc.sql("SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM conversations)"
				+ " + (SELECT count(*) FROM outbox_events)").query(Long.class).single();
	}

}
