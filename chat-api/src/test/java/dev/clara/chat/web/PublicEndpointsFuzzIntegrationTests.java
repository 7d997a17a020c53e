package dev.clara.chat.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.clara.chat.ChatApiIntegrationTest;
import dev.clara.chat.web.HostileRequests.Case;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.clara.chat.web.HostileRequests.bytes;
import static dev.clara.chat.web.HostileRequests.chatBody;
import static dev.clara.chat.web.HostileRequests.concat;
import static dev.clara.chat.web.HostileRequests.get;
import static dev.clara.chat.web.HostileRequests.json;
import static dev.clara.chat.web.HostileRequests.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every public endpoint (the chat, its messages, the widget's settings and script, public assets,
 * the owner API's sign-up, sign-in, refresh and sign-out) under hostile input: a corpus of known
 * nasty requests and {@value #TRIES} random ones from a fixed seed. Whatever comes in, the answer
 * is never a 5xx and its body never shows a stack trace, an exception's class or SQL. It runs in
 * well under a minute (the rate limits of the test configuration are high enough not to refuse it).
 */
class PublicEndpointsFuzzIntegrationTests extends ChatApiIntegrationTest {

	static final long SEED = 0xC1A4AL;

	static final int TRIES = 300;

	/** What must never reach a client: Java internals, stack frames, SQL, the database's messages. */
	static final Pattern LEAK = Pattern.compile("Exception|Caused by|\\bat (dev|org|java|jdk|com|sun)\\.|java\\.lang"
			+ "|org\\.springframework|org\\.postgresql|org\\.apache|PSQL|SQLState|SQL state|\\bSELECT\\b|\\bINSERT INTO\\b"
			+ "|\\bUPDATE \\w+ SET\\b|\\bDELETE FROM\\b|syntax error|relation \"|violates|Apache Tomcat");

	UUID workspace;

	RawHttp raw;

	@BeforeEach
	void workspace() {
		this.workspace = this.workspaces.create();
		this.workspaces.saasKnowledgeBase(this.workspace);
		this.raw = new RawHttp(this.port);
	}

	@Test
	@Timeout(60)
	void theCorpusOfHostileRequestsGetsNoServerErrorAndShowsNoInternals() throws IOException {
		List<String> failures = new ArrayList<>();
		for (Case request : corpus()) {
			check(request, failures);
		}
		assertThat(failures).isEmpty();
	}

	@Test
	@Timeout(60)
	void randomRequestsFromAFixedSeedGetNoServerErrorAndShowNoInternals() throws IOException {
		Random random = new Random(SEED);
		List<String> failures = new ArrayList<>();
		for (int n = 0; n < TRIES; n++) {
			check(HostileRequests.random(random, n, this.workspace), failures);
		}
		assertThat(failures).isEmpty();
	}

	private void check(Case request, List<String> failures) throws IOException {
		RawHttp.Response response = request.framed() ? this.raw.sendRaw(request.headBytes())
				: this.raw.send(request.headBytes(), request.body());
		// 505 is the protocol's answer to an HTTP version the server does not speak, not a failure
		if ((response.status() >= 500 && response.status() != 505) || response.status() < 0) {
			failures.add(request.name() + " -> " + response.status());
		}
		int bodyAt = response.text().indexOf("\r\n\r\n");
		String head = bodyAt < 0 ? response.text() : response.text().substring(0, bodyAt);
		String body = bodyAt < 0 ? "" : response.text().substring(bodyAt + 4);
		boolean script = response.status() == 200 && head.toLowerCase().matches("(?s).*content-type: text/(javascript|html).*");
		if (!script && LEAK.matcher(body).find()) {
			failures.add(request.name() + " -> " + response.status() + " shows internals: "
					+ body.substring(0, Math.min(300, body.length())));
		}
	}

	private List<Case> corpus() {
		String ws = this.workspace.toString();
		String token = "fuzz-session-token-0123456789abcdef";
		List<Case> cases = HostileRequests.list(
				// ── bodies of the public chat ──
				json("empty body", "/api/chat", "application/json", new byte[0]),
				json("null", "/api/chat", "application/json", utf8("null")),
				json("a string", "/api/chat", "application/json", utf8("\"hi\"")),
				json("a huge number", "/api/chat", "application/json", utf8("1e999999999")),
				json("deep arrays", "/api/chat", "application/json", utf8("[".repeat(5000) + "]".repeat(5000))),
				json("deep objects", "/api/chat", "application/json", utf8("{\"a\":".repeat(3000) + "1" + "}".repeat(3000))),
				json("wide object", "/api/chat", "application/json",
						utf8("{" + "\"k\":1,".repeat(2000) + "\"content\":\"x\"}")),
				json("duplicate keys", "/api/chat", "application/json",
						utf8(chatBody(this.workspace, "Hi").replace("}", ",\"content\":\"again\"}"))),
				json("wrong types", "/api/chat", "application/json", utf8("{\"workspace_id\":[],\"session_token\":{},"
						+ "\"message_id\":true,\"content\":1.5,\"visitor\":\"x\"}")),
				json("visitor with wrong types", "/api/chat", "application/json",
						utf8(chatBody(this.workspace, "Hi").replace("}", ",\"visitor\":{\"name\":[1],\"email\":{}}}"))),
				json("NUL in content", "/api/chat", "application/json", utf8(chatBody(this.workspace, "a\\u0000b"))),
				json("raw NUL in content", "/api/chat", "application/json", utf8(chatBody(this.workspace, "a\u0000b"))),
				json("lone surrogate in content", "/api/chat", "application/json", utf8(chatBody(this.workspace, "\\ud800"))),
				json("C1 in content", "/api/chat", "application/json", utf8(chatBody(this.workspace, "\u009b31m"))),
				json("NUL in a key", "/api/chat", "application/json", utf8("{\"\\u0000\":1}")),
				json("bytes that are not UTF-8", "/api/chat", "application/json",
						concat(utf8(chatBody(this.workspace, "X").replace("X\"}", "")), bytes(0xff, 0xfe, 0xc0, 0xaf), utf8("\"}"))),
				json("a surrogate in CESU-8", "/api/chat", "application/json",
						concat(utf8("{\"content\":\""), bytes(0xed, 0xa0, 0x80), utf8("\"}"))),
				json("a BOM", "/api/chat", "application/json", concat(bytes(0xef, 0xbb, 0xbf), utf8(chatBody(this.workspace, "Hi")))),
				json("UTF-16 with its charset", "/api/chat", "application/json; charset=UTF-16",
						chatBody(this.workspace, "Hi").getBytes(java.nio.charset.StandardCharsets.UTF_16)),
				json("UTF-16 without charset", "/api/chat", "application/json",
						chatBody(this.workspace, "Hi").getBytes(java.nio.charset.StandardCharsets.UTF_16LE)),
				json("unknown charset", "/api/chat", "application/json; charset=x-bogus", utf8("{}")),
				json("illegal charset name", "/api/chat", "application/json; charset=\"a b\"", utf8("{}")),
				json("no content type", "/api/chat", "", utf8(chatBody(this.workspace, "Hi"))),
				json("form", "/api/chat", "application/x-www-form-urlencoded", utf8("content=hi&workspace_id=" + ws)),
				json("xml", "/api/chat", "application/xml", utf8("<chat><content>hi</content></chat>")),
				json("malformed content type", "/api/chat", "application/json;;;charset", utf8("{}")),
				json("comments and NaN", "/api/chat", "application/json", utf8("{/*x*/\"content\":NaN}")),
				json("body over the limit", "/api/chat", "application/json",
						utf8(chatBody(this.workspace, "a".repeat(20_000)))),
				json("multipart without a boundary", "/api/chat", "multipart/form-data", utf8("--x\r\n")),
				json("multipart without a boundary, to the upload endpoint", "/api/owner/qa-pairs/imports",
						"multipart/form-data", utf8("--x\r\n")),
				json("multipart, broken", "/api/chat", "multipart/form-data; boundary=x",
						utf8("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--x")),
				json("multipart, a file part", "/api/chat", "multipart/form-data; boundary=x",
						utf8("--x\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\u0000.csv\"\r\n\r\n"
								+ "v\r\n--x--\r\n")),
				json("path parameter on the chat", "/api/chat;a=b", "application/json", utf8(chatBody(this.workspace, "Hi"))),
				json("path parameter before the chat", "/api;a=b/chat", "application/json",
						utf8(chatBody(this.workspace, "a".repeat(20_000)))),
				json("3,900 emoji", "/api/chat", "application/json", utf8(chatBody(this.workspace, "\uD83D\uDE00".repeat(1_900)))),
				// ── the unauthenticated owner endpoints ──
				json("sign-up, NUL e-mail", "/api/owner/auth/signup", "application/json",
						utf8("{\"email\":\"a\\u0000@b.co\",\"password\":\"long enough pw\"}")),
				json("sign-in, surrogate e-mail", "/api/owner/auth/signin", "application/json",
						utf8("{\"email\":\"\\udc00@b.co\",\"password\":\"x\"}")),
				json("sign-in, huge password", "/api/owner/auth/signin", "application/json",
						utf8("{\"email\":\"a@b.co\",\"password\":\"" + "p".repeat(100_000) + "\"}")),
				json("sign-in, wrong types", "/api/owner/auth/signin", "application/json",
						utf8("{\"email\":[\"a@b.co\"],\"password\":{\"x\":1}}")),
				json("sign-in, bytes that are not UTF-8", "/api/owner/auth/signin", "application/json",
						concat(utf8("{\"email\":\""), bytes(0xc3), utf8("@b.co\",\"password\":\"x\"}"))),
				json("refresh, NUL token", "/api/owner/auth/refresh", "application/json", utf8("{\"refresh_token\":\"\\u0000\"}")),
				json("refresh, a number", "/api/owner/auth/refresh", "application/json", utf8("{\"refresh_token\":7}")),
				json("sign-out, a JWT-looking token", "/api/owner/auth/signout", "application/json",
						utf8("{\"refresh_token\":\"eyJhbGciOiJub25lIn0.e30.\"}")),
				json("sign-out, deep", "/api/owner/auth/signout", "application/json", utf8("[".repeat(2000))),
				json("sign-up, form", "/api/owner/auth/signup", "application/x-www-form-urlencoded", utf8("email=a&password=b")),
				// ── query parameters, headers and paths ──
				get("messages, no parameters", "/api/chat/messages"),
				get("messages, NUL workspace", "/api/chat/messages?workspace_id=%00", "X-Clara-Session-Token: " + token),
				get("messages, repeated workspace", "/api/chat/messages?workspace_id=" + ws + "&workspace_id=" + UUID.randomUUID(),
						"X-Clara-Session-Token: " + token),
				get("messages, bad escape", "/api/chat/messages?workspace_id=%G0%", "X-Clara-Session-Token: " + token),
				get("messages, overlong UTF-8", "/api/chat/messages?workspace_id=%C0%AE", "X-Clara-Session-Token: " + token),
				get("messages, obs-text token", "/api/chat/messages?workspace_id=" + ws,
						"X-Clara-Session-Token: " + "\u00e9".repeat(40)),
				get("messages, C1 token", "/api/chat/messages?workspace_id=" + ws, "X-Clara-Session-Token: " + "\u0085".repeat(40)),
				get("messages, huge token", "/api/chat/messages?workspace_id=" + ws, "X-Clara-Session-Token: " + "t".repeat(7000)),
				get("messages, huge header", "/api/chat/messages?workspace_id=" + ws, "X-Junk: " + "j".repeat(64 * 1024)),
				get("messages, 300 headers", "/api/chat/messages?workspace_id=" + ws,
						java.util.stream.IntStream.range(0, 300).mapToObj(i -> "X-H" + i + ": v").toArray(String[]::new)),
				get("messages, odd origin", "/api/chat/messages?workspace_id=" + ws, "X-Clara-Session-Token: " + token,
						"Origin: null"),
				get("messages, obs-fold", "/api/chat/messages?workspace_id=" + ws, "X-Clara-Session-Token: " + token,
						" folded"),
				get("messages, long query", "/api/chat/messages?workspace_id=" + ws + "&x=" + "q".repeat(60_000)),
				get("settings, NUL id", "/api/widget/%00/settings"),
				get("settings, dot-dot id", "/api/widget/..%2F..%2Fetc%2Fpasswd/settings"),
				get("settings, double-encoded", "/api/widget/%252e%252e/settings"),
				get("settings, path parameter", "/api/widget/" + ws + ";x=y/settings"),
				get("settings, surrogate id", "/api/widget/%ED%A0%80/settings"),
				get("settings, Latin-1 origin", "/api/widget/" + ws + "/settings", "Origin: https://\u00e9.example"),
				get("settings, DEL origin", "/api/widget/" + ws + "/settings", "Origin: https://a\u007f.example"),
				get("asset, dot-dot", "/storage/v1/object/public/a/../../../etc/passwd"),
				get("asset, encoded dot-dot", "/storage/v1/object/public/a/%2e%2e/%2e%2e/x"),
				get("asset, NUL", "/storage/v1/object/public/a/b%00.png"),
				get("asset, bad etag", "/storage/v1/object/public/a/b.png", "If-None-Match: \"\u0085\""),
				get("asset, long path", "/storage/v1/object/public/a/" + "b/".repeat(700)),
				get("widget.js with a path parameter", "/widget.js;jsessionid=x"),
				get("widget.js dot-dot", "/widget.js/../application.properties"),
				get("static file outside", "/../application.properties"),
				get("encoded static dot-dot", "/%2e%2e/application.properties"),
				get("double slash", "//api//chat/messages"),
				get("backslash", "/api\\chat"),
				get("raw space in path", "/api/chat/messages?workspace_id=a b"),
				new HostileRequests.Case("absolute-form target", "GET http://evil.example/api/chat/messages HTTP/1.1", null),
				new HostileRequests.Case("asterisk target", "OPTIONS * HTTP/1.1", null),
				new HostileRequests.Case("HTTP/1.0", "GET /api/chat/messages HTTP/1.0", null),
				new HostileRequests.Case("HTTP/2 in a 1.1 line", "GET /widget.js HTTP/2.0", null),
				new HostileRequests.Case("CORS preflight", "OPTIONS /api/chat HTTP/1.1\r\nOrigin: https://x.example\r\n"
						+ "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type", null));
		for (String method : HostileRequests.METHODS) {
			for (String path : List.of("/api/chat", "/api/chat/messages", "/api/widget/" + ws + "/settings", "/widget.js",
					"/storage/v1/object/public/a/b", "/api/owner/auth/signin", "/api/owner/auth/signout")) {
				cases.add(new Case(method + " " + path, method + " " + path + " HTTP/1.1\r\nContent-Type: application/json",
						utf8("{}")));
			}
		}
		cases.add(chunked("chunked, bad chunk size", "zz\r\n{}\r\n0\r\n\r\n"));
		cases.add(chunked("chunked, JSON in pieces", "1\r\n{\r\n1\r\n}\r\n0\r\n\r\n"));
		return cases;
	}

	private static Case chunked(String name, String chunks) {
		return new Case(name, "POST /api/chat HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked"
				+ "\r\nHost: localhost\r\nConnection: close\r\n\r\n" + chunks, null, true);
	}

}
