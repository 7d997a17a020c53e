package dev.clara.chat.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Hostile requests for every public endpoint: a fixed corpus of known-nasty inputs, and random
 * ones from a seeded generator (the same every run, so a failure reproduces). A request is the
 * request line and headers as ISO-8859-1 characters (one char per byte, so any byte can be sent)
 * and an optional body.
 */
final class HostileRequests {

	/**
	 * One request: {@code head} has no Host/Connection/Content-Length (RawHttp adds them), unless
	 * {@code framed}: then it is the whole request, as sent.
	 */
	record Case(String name, String head, byte[] body, boolean framed) {

		Case(String name, String head, byte[] body) {
			this(name, head, body, false);
		}

		byte[] headBytes() {
			return this.head.getBytes(StandardCharsets.ISO_8859_1);
		}

	}

	static final List<String> JSON_POSTS = List.of("/api/chat", "/api/owner/auth/signup", "/api/owner/auth/signin",
			"/api/owner/auth/refresh", "/api/owner/auth/signout");

	static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
			"application/json; charset=UTF-16", "application/json; charset=ISO-8859-1", "application/json; charset=bogus",
			"application/json; charset=\"", "text/plain", "application/xml", "application/x-www-form-urlencoded",
			"text/csv", "application/octet-stream", "*/*", "application/*", "json", ";;;", "application/json; a=\u00ff",
			"multipart/form-data", "multipart/form-data; boundary=x", "multipart/mixed", "");

	static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE",
			"PROPFIND", "FOO", "get");

	/** Pieces of text that have broken parsers, databases and templates. */
	static final List<String> NASTY = List.of("\\u0000", "\\ud800", "\\udfff", "\\ud83d\\ude00", "\\u0007", "\\u001b[2J",
			"\\u009b", "\\u007f", "\\u2028", "\\ufeff", "\\uffff", "\\ufffd", "'; DROP TABLE messages; --", "%00", "%s%n",
			"${jndi:ldap://x}", "{{7*7}}", "<script>alert(1)</script>", "\\\\", "\\\"", "../../etc/passwd", "\u00e9",
			"\u4f60\u597d", "null", "NaN", "-0", "1e309");

	private HostileRequests() {
	}

	static Case json(String name, String path, String contentType, byte[] body) {
		return new Case(name, "POST " + path + " HTTP/1.1" + (contentType.isEmpty() ? "" : "\r\nContent-Type: " + contentType),
				body);
	}

	static Case get(String name, String target, String... headers) {
		return new Case(name, "GET " + target + " HTTP/1.1" + headerLines(headers), null);
	}

	static String headerLines(String... headers) {
		StringBuilder lines = new StringBuilder();
		for (String header : headers) {
			lines.append("\r\n").append(header);
		}
		return lines.toString();
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	/** A chat body that would be answered, for {@code workspace}, with {@code content} spliced in raw. */
	static String chatBody(UUID workspace, String content) {
		return "{\"workspace_id\":\"" + workspace + "\",\"session_token\":\"fuzz-session-token-0123456789abcdef\","
				+ "\"message_id\":\"" + UUID.nameUUIDFromBytes(utf8(content)) + "\",\"content\":\"" + content + "\"}";
	}

	// ───────────────────────────── random ─────────────────────────────

	/** The {@code n}th random request. */
	static Case random(Random random, int n, UUID workspace) {
		return switch (random.nextInt(7)) {
			case 0, 1, 2 -> {
				String path = JSON_POSTS.get(random.nextInt(JSON_POSTS.size()));
				String body = random.nextInt(3) == 0 ? chatBody(workspace, randomText(random, 40)) : randomJson(random, 0);
				yield json("random#" + n + " POST " + path, path, pick(random, CONTENT_TYPES), mangle(random, utf8(body)));
			}
			case 3 -> get("random#" + n + " messages", "/api/chat/messages?" + randomQuery(random, workspace),
					"X-Clara-Session-Token: " + randomHeaderValue(random), "Origin: " + randomHeaderValue(random));
			case 4 -> get("random#" + n + " widget settings",
					"/api/widget/" + (random.nextBoolean() ? workspace.toString() : randomSegment(random)) + "/settings"
							+ (random.nextBoolean() ? "" : "?" + randomQuery(random, workspace)),
					"Origin: " + randomHeaderValue(random), "If-None-Match: " + randomHeaderValue(random));
			case 5 -> get("random#" + n + " storage", "/storage/v1/object/public/" + randomSegment(random) + "/"
					+ randomSegment(random) + "/" + randomSegment(random), "If-None-Match: " + randomHeaderValue(random));
			default -> new Case("random#" + n + " method", pick(random, METHODS) + " " + pick(random,
					List.of("/api/chat", "/api/chat/messages", "/widget.js", "/", "/api/owner/auth/signin",
							"/api/widget/" + workspace + "/settings", "/storage/v1/object/public/a/b"))
					+ "/" + randomSegment(random) + " HTTP/1.1\r\nContent-Type: " + pick(random, CONTENT_TYPES),
					random.nextBoolean() ? null : mangle(random, utf8(randomJson(random, 0))));
		};
	}

	/** Random JSON text, nested a little, with the field names the endpoints read and nasty strings. */
	static String randomJson(Random random, int depth) {
		int kind = depth > 3 ? 2 + random.nextInt(4) : random.nextInt(7);
		return switch (kind) {
			case 0, 1 -> {
				StringBuilder object = new StringBuilder("{");
				int fields = random.nextInt(7);
				List<String> names = List.of("workspace_id", "session_token", "message_id", "content", "visitor", "name",
						"email", "password", "refresh_token", randomText(random, 8));
				for (int i = 0; i < fields; i++) {
					object.append(i == 0 ? "" : ",").append('"').append(pick(random, names)).append("\":")
						.append(randomJson(random, depth + 1));
				}
				yield object.append('}').toString();
			}
			case 6 -> {
				StringBuilder array = new StringBuilder("[");
				int items = random.nextInt(5);
				for (int i = 0; i < items; i++) {
					array.append(i == 0 ? "" : ",").append(randomJson(random, depth + 1));
				}
				yield array.append(']').toString();
			}
			case 2, 3 -> "\"" + randomText(random, 60) + "\"";
			case 4 -> pick(random, List.of("0", "-1", "1e400", "12345678901234567890123", "0.1", "true", "false", "null",
					"-", "01", "1.", "[", "{", "\"", "}"));
			default -> "\"" + pick(random, List.of(UUID.randomUUID().toString(), "a@b.co", "x".repeat(5000), "")) + "\"";
		};
	}

	/** Text for inside a JSON string: plain letters, JSON escapes, nasty pieces, any character. */
	static String randomText(Random random, int max) {
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(max + 1);
		while (text.length() < length) {
			switch (random.nextInt(5)) {
				case 0 -> text.append(pick(random, NASTY));
				case 1 -> text.append(String.format("\\u%04x", random.nextInt(0x10000)));
				case 2 -> text.appendCodePoint(0x20 + random.nextInt(0x2ff0 - 0x20));
				default -> text.append((char) ('a' + random.nextInt(26)));
			}
		}
		return text.toString();
	}

	/** Sometimes the bytes of a body are broken: a stray byte, a cut, an overlong or a surrogate encoding. */
	static byte[] mangle(Random random, byte[] body) {
		if (body.length == 0 || random.nextInt(3) != 0) {
			return body;
		}
		byte[][] bad = { bytes(0xff), bytes(0xc0, 0xaf), bytes(0xed, 0xa0, 0x80), bytes(0x00), bytes(0xe2, 0x82),
				bytes(0xf4, 0x90, 0x80, 0x80), bytes(0xfe, 0xff) };
		int at = random.nextInt(body.length);
		return switch (random.nextInt(3)) {
			case 0 -> java.util.Arrays.copyOf(body, at);
			default -> concat(java.util.Arrays.copyOf(body, at), bad[random.nextInt(bad.length)],
					java.util.Arrays.copyOfRange(body, at, body.length));
		};
	}

	static String randomQuery(Random random, UUID workspace) {
		List<String> names = List.of("workspace_id", "session_token", "page", "per_page", "q", randomSegment(random));
		StringBuilder query = new StringBuilder();
		int params = 1 + random.nextInt(3);
		for (int i = 0; i < params; i++) {
			query.append(i == 0 ? "" : "&").append(pick(random, names)).append('=')
				.append(random.nextBoolean() ? workspace.toString() : randomSegment(random));
		}
		return query.toString();
	}

	/** A path segment or query value: percent-encoded random bytes, or raw characters a URL may not hold. */
	static String randomSegment(Random random) {
		StringBuilder segment = new StringBuilder();
		int length = random.nextInt(12);
		for (int i = 0; i < length; i++) {
			switch (random.nextInt(6)) {
				case 0 -> segment.append(String.format("%%%02X", random.nextInt(256)));
				case 1 -> segment.append(pick(random, List.of("%00", "%2e%2e", "..", ";", ";a=b", "%2F", "%252e", "%C0%AE",
						"%ED%A0%80", "%", "%G1", "+", "//", "\\", "%5C", "\u00e9", "|", "'", "\"", "<")));
				default -> segment.append((char) ('a' + random.nextInt(26)));
			}
		}
		return segment.toString();
	}

	/** A header value: printable ASCII mostly, sometimes bytes 0x80–0xFF (obs-text) or a tab. */
	static String randomHeaderValue(Random random) {
		StringBuilder value = new StringBuilder();
		int length = random.nextInt(50);
		for (int i = 0; i < length; i++) {
			int kind = random.nextInt(10);
			value.append((char) (kind == 0 ? 0x80 + random.nextInt(0x80) : kind == 1 ? '\t' : 0x21 + random.nextInt(0x5e)));
		}
		return value.toString();
	}

	static <T> T pick(Random random, List<T> items) {
		return items.get(random.nextInt(items.size()));
	}

	static List<Case> list(Case... cases) {
		return new ArrayList<>(List.of(cases));
	}

}
