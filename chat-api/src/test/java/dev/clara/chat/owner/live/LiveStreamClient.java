package dev.clara.chat.owner.live;

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An owner's {@code GET /api/owner/events}, read on a thread of its own as a browser's EventSource
 * would: every event and comment as it arrives, until closed.
 */
final class LiveStreamClient implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	record Event(String name, String data, String retry) {

		JsonNode json() {
			return JSON.readTree(this.data);
		}

	}

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private final List<String> comments = new CopyOnWriteArrayList<>();

	private final HttpResponse<InputStream> response;

	private final String body;

	private LiveStreamClient(HttpResponse<InputStream> response) throws IOException {
		this.response = response;
		if (response.statusCode() == 200) {
			this.body = null;
			Thread reader = new Thread(this::read, "live-test-reader");
			reader.setDaemon(true);
			reader.start();
		}
		else {
			try (InputStream in = response.body()) {
				this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
		}
	}

	/** Opens the stream ({@code token} null: no Authorization header). */
	static LiveStreamClient open(int port, String token) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/owner/events"))
			.header("Accept", "text/event-stream")
			.GET();
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return new LiveStreamClient(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
	}

	int status() {
		return this.response.statusCode();
	}

	String header(String name) {
		return this.response.headers().firstValue(name).orElse(null);
	}

	/** The body of a refused request (problem+json). */
	JsonNode problem() {
		return JSON.readTree(this.body);
	}

	List<Event> events() {
		return this.events;
	}

	List<String> comments() {
		return this.comments;
	}

	List<Event> named(String name) {
		return this.events.stream().filter(event -> event.name().equals(name)).toList();
	}

	private void read() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
			String name = "message";
			StringBuilder data = null;
			String retry = null;
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.isEmpty()) {
					if (data != null) {
						this.events.add(new Event(name, data.toString(), retry));
					}
					name = "message";
					data = null;
					retry = null;
				}
				else if (line.startsWith(":")) {
					this.comments.add(line.substring(1));
				}
				else if (line.startsWith("event:")) {
					name = line.substring(6).strip();
				}
				else if (line.startsWith("retry:")) {
					retry = line.substring(6).strip();
				}
				else if (line.startsWith("data:")) {
					String value = line.substring(5);
					value = value.startsWith(" ") ? value.substring(1) : value;
					data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
				}
			}
		}
		catch (IOException ex) {
			// closed by the test, or by the server
		}
	}

	@Override
	public void close() throws IOException {
		this.response.body().close();
	}

}
