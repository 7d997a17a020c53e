package dev.clara.chat.turn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Posts a chat turn asking for server-sent events and reads the answer as it arrives, event by
 * event, noting when each one came; parsed by hand, as the widget does.
 */
final class EventStreamClient {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	EventStreamClient(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	/** One event as it arrived, {@code arrivedAt} in {@link System#nanoTime()}. */
	record Event(String name, String data, long arrivedAt) {
	}

	/** An open response: read its events one by one, or close it mid-way like a visitor leaving. */
	static final class Response implements AutoCloseable {

		private final HttpResponse<InputStream> raw;

		private final BufferedReader reader;

		Response(HttpResponse<InputStream> raw) {
			this.raw = raw;
			this.reader = new BufferedReader(new InputStreamReader(raw.body(), StandardCharsets.UTF_8));
		}

		int status() {
			return this.raw.statusCode();
		}

		String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

		/** The next event, or null at the end of the stream. */
		Event next() throws IOException {
			String name = "message";
			StringBuilder data = null;
			String line;
			while ((line = this.reader.readLine()) != null) {
				if (line.isEmpty()) {
					if (data != null) {
						return new Event(name, data.toString(), System.nanoTime());
					}
					continue;
				}
				if (line.startsWith("event:")) {
					name = line.substring(6).strip();
				}
				else if (line.startsWith("data:")) {
					String value = line.substring(5);
					value = value.startsWith(" ") ? value.substring(1) : value;
					data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
				}
			}
			return null;
		}

		List<Event> readAll() throws IOException {
			List<Event> events = new ArrayList<>();
			for (Event event = next(); event != null; event = next()) {
				events.add(event);
			}
			return events;
		}

		String body() throws IOException {
			return new String(this.raw.body().readAllBytes(), StandardCharsets.UTF_8);
		}

		@Override
		public void close() throws IOException {
			this.raw.body().close();
		}

	}

	Response post(String body) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + "/api/chat"))
			.header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return new Response(this.client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
	}

}
