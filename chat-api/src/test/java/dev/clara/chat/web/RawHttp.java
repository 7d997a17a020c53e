package dev.clara.chat.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: a fuzz test must send what no
 * well-behaved client library would (bad header bytes, odd methods, unencoded paths, bodies that
 * are not what their headers say). Every request closes its connection.
 */
final class RawHttp {

	/** What came back: the status (0 when the server closed without answering) and the raw response. */
	record Response(int status, String text) {
	}

	private final int port;

	RawHttp(int port) {
		this.port = port;
	}

	/** {@code head} is the request line and headers, without the blank line; Content-Length is added. */
	Response send(byte[] head, byte[] body) throws IOException {
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request.writeBytes(head);
		String extra = "\r\nHost: localhost\r\nConnection: close\r\n"
				+ (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
		request.writeBytes(extra.getBytes(StandardCharsets.US_ASCII));
		if (body != null) {
			request.writeBytes(body);
		}
		return sendRaw(request.toByteArray());
	}

	/** {@code request} exactly as given (it should ask for Connection: close). */
	Response sendRaw(byte[] request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			try {
				out.write(request);
				out.flush();
			}
			catch (SocketException ex) {
				// the server may answer and close before reading all of a large request
			}
			byte[] response = readAll(socket.getInputStream());
			String text = new String(response, StandardCharsets.ISO_8859_1);
			return new Response(status(text), text);
		}
	}

	private static byte[] readAll(InputStream in) throws IOException {
		ByteArrayOutputStream response = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			int n;
			while ((n = in.read(buffer)) > 0) {
				response.write(buffer, 0, n);
				if (response.size() > 4 * 1024 * 1024) {
					break;
				}
			}
		}
		catch (SocketException | SocketTimeoutException ex) {
			// a reset after the answer: what was read is the answer
		}
		return response.toByteArray();
	}

	private static int status(String text) {
		if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
			return 0;
		}
		try {
			return Integer.parseInt(text.substring(9, 12));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
