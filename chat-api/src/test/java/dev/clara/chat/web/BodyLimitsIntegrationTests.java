package dev.clara.chat.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

import dev.clara.chat.ChatApiTestConfiguration;
import dev.clara.chat.owner.OwnerIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every byte an unauthenticated client sends is bounded before it is buffered or stored. Each
 * request here is written over a raw socket and left unfinished: the server must answer while
 * most of the declared or chunked body is still unsent (had it read the body, it would wait for
 * the rest and the read below would time out), and no uploaded part may land on disk.
 */
class BodyLimitsIntegrationTests extends OwnerIntegrationTest {

	private static final String JSON_BODY = "{\"content\":\"" + "x".repeat(40_000) + "\"}";

	private WatchService watcher;

	@BeforeEach
	void watchTheUploadDirectory() throws IOException {
		this.watcher = FileSystems.getDefault().newWatchService();
		ChatApiTestConfiguration.MULTIPART_DIR.register(this.watcher, StandardWatchEventKinds.ENTRY_CREATE);
	}

	@AfterEach
	void stopWatching() throws IOException {
		this.watcher.close();
	}

	@Test
	void pathParametersDoNotSkipThePublicLimit() throws IOException {
		// a declared length over the limit: refused on the header, whatever the path's parameters
		assertThat(statusOf("POST /api;/chat", "application/json", 10_000_000, "{\"a\":1}")).isEqualTo(413);
		assertThat(statusOf("POST /api;x/chat", "application/json", 10_000_000, "{\"a\":1}")).isEqualTo(413);
		// chunked, so no length to look at: the path itself is refused before the body is read
		assertThat(chunkedStatusOf("POST /api;x/chat", "application/json", JSON_BODY)).isEqualTo(400);
		assertThat(chunkedStatusOf("POST /api/%3Bx/chat", "application/json", JSON_BODY)).isEqualTo(400);
		assertThat(chunkedStatusOf("POST /api/owner/..;/chat", "application/json", JSON_BODY)).isEqualTo(400);
		// the routed path itself: counted while read, refused past 16 KiB
		assertThat(chunkedStatusOf("POST /api/chat", "application/json", JSON_BODY)).isEqualTo(413);
	}

	@Test
	void formBodiesAreNeverReadBeforeTheLimits() throws IOException {
		String form = "a=" + "x".repeat(300_000);
		for (String method : new String[] { "PUT", "PATCH", "DELETE" }) {
			assertThat(statusOf(method + " /no-such-path", "application/x-www-form-urlencoded", 10_000_000, "a=1"))
				.isEqualTo(413);
			// nothing reads a form body: the answer comes without it
			assertThat(chunkedStatusOf(method + " /no-such-path", "application/x-www-form-urlencoded", form))
				.isBetween(400, 499);
		}
		// an owner endpoint: 413, not a 500, with or without a declared length
		String token = owner().token();
		assertThat(statusOf("PATCH /api/owner/workspace/settings", "application/x-www-form-urlencoded", 1_000_000,
				"a=1", "Authorization: Bearer " + token)).isEqualTo(413);
		assertThat(chunkedStatusOf("PATCH /api/owner/workspace/settings", "application/x-www-form-urlencoded", form,
				"Authorization: Bearer " + token)).isEqualTo(413);
	}

	@Test
	void multipartIsNeverParsedOutsideTheAuthenticatedUploadEndpoints() throws Exception {
		String part = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
				+ "Content-Type: text/csv\r\n\r\n" + "q,a\r\n".repeat(20_000);
		String multipart = "multipart/form-data; boundary=b";
		assertThat(chunkedStatusOf("POST /api/chat", multipart, part)).isEqualTo(415);
		assertThat(chunkedStatusOf("POST /no-such-path", multipart, part)).isEqualTo(415);
		assertThat(chunkedStatusOf("GET /api/chat/messages?workspace_id=x", multipart, part)).isEqualTo(415);
		assertThat(statusOf("POST /api/chat", multipart, 1_000_000, part.substring(0, 1000))).isEqualTo(415);
		// the upload endpoint itself, without an owner: refused before the parts are looked at
		assertThat(chunkedStatusOf("POST /api/owner/qa-pairs/imports", multipart, part)).isEqualTo(401);
		// an owner, but an endpoint that takes no file
		assertThat(chunkedStatusOf("POST /api/owner/qa-pairs", multipart, part,
				"Authorization: Bearer " + owner().token())).isEqualTo(415);
		assertThat(this.watcher.poll(1, TimeUnit.SECONDS)).as("no part was written to disk").isNull();
		// an owner's upload that cannot be parsed is their mistake, not a 500
		String broken = "--x\r\n";
		assertThat(statusOf("POST /api/owner/qa-pairs/imports", "multipart/form-data", broken.length(), broken,
				"Authorization: Bearer " + owner().token())).isEqualTo(400);

		// the watch sees a part that is parsed: an owner's real upload
		assertThat(upload(owner().token(), "/api/owner/qa-pairs/imports", "faq.csv", "text/csv",
				"question,answer\nWhere?,Here.\n".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(202);
		WatchKey written = this.watcher.poll(5, TimeUnit.SECONDS);
		assertThat(written).as("a parsed upload is written to the watched directory").isNotNull();
	}

	/** Sends the head with this declared length and only the start of the body; the status the server answers. */
	private int statusOf(String requestLine, String contentType, long declaredLength, String start, String... headers)
			throws IOException {
		return exchange(requestLine, contentType, "Content-Length: " + declaredLength, headers,
				start.getBytes(StandardCharsets.UTF_8));
	}

	/** Sends this body as one chunk and never the last chunk; the status the server answers. */
	private int chunkedStatusOf(String requestLine, String contentType, String body, String... headers)
			throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		byte[] head = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
		byte[] chunk = new byte[head.length + bytes.length + 2];
		System.arraycopy(head, 0, chunk, 0, head.length);
		System.arraycopy(bytes, 0, chunk, head.length, bytes.length);
		chunk[chunk.length - 2] = '\r';
		chunk[chunk.length - 1] = '\n';
		return exchange(requestLine, contentType, "Transfer-Encoding: chunked", headers, chunk);
	}

	private int exchange(String requestLine, String contentType, String framing, String[] headers, byte[] body)
			throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			// had the server waited for the rest of the body, this read would time out
			socket.setSoTimeout(15_000);
			StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: localhost\r\n")
				.append("Content-Type: ").append(contentType).append("\r\n").append(framing).append("\r\n");
			for (String header : headers) {
				head.append(header).append("\r\n");
			}
			head.append("\r\n");
			OutputStream out = socket.getOutputStream();
			out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
			try {
				out.write(body);
				out.flush();
			}
			catch (IOException ex) {
				// the server may answer and close while the body is still being written
			}
			String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			assertThat(status).as("the status line of " + requestLine).startsWith("HTTP/1.1 ");
			return Integer.parseInt(status.substring(9, 12));
		}
	}

}
