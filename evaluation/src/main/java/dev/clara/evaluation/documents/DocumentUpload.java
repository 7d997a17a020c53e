package dev.clara.evaluation.documents;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The owner's path for documents: sign up (which creates the owner's workspace), upload each
 * article as one Markdown file to {@code POST /api/owner/documents}, then follow
 * {@code GET /api/owner/documents/{id}} until every one is {@code ready}. The evaluation's worker
 * has no Kafka listener: it ingests the pending versions when the backfill ({@code POST /backfill})
 * runs with {@code clara.documents.stalled-after=0s}, so this calls it while it waits.
 */
final class DocumentUpload {

	/** The owner's workspace and, per article title, its document's id and chunk count. */
	record Uploaded(UUID workspace, Map<String, UUID> documents, long chunks, double seconds) {
	}

	private final HttpClient http;

	private final String chatApi;

	private final JsonMapper json = JsonMapper.builder().build();

	DocumentUpload(HttpClient http, String chatApi) {
		this.http = http;
		this.chatApi = chatApi;
	}

	Uploaded run(List<Squad.Article> articles, String worker, Duration timeout) throws Exception {
		long started = System.nanoTime();
		String email = "eval-documents-" + UUID.randomUUID() + "@example.test";
		String credentials = this.json.writeValueAsString(
				this.json.createObjectNode().put("email", email).put("password", "eval-" + UUID.randomUUID()));
		// the evaluation's chat-api has no SMTP server: no confirmation is needed before signing in
		send(json("/api/owner/auth/signup", credentials), 202);
		String bearer = "Bearer " + send(json("/api/owner/auth/signin", credentials), 200).get("access_token").asString();
		Map<String, UUID> documents = new LinkedHashMap<>();
		for (Squad.Article article : articles) {
			String boundary = "eval-" + UUID.randomUUID();
			String fileName = article.title().replaceAll("[^A-Za-z0-9]+", "-") + ".md";
			String body = part(boundary, "title", null, article.title())
					+ part(boundary, "file", fileName, article.markdown()) + "--" + boundary + "--\r\n";
			JsonNode document = send(HttpRequest.newBuilder(URI.create(this.chatApi + "/api/owner/documents"))
				.header("Authorization", bearer)
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), 202);
			documents.put(article.title(), UUID.fromString(document.get("id").asString()));
		}
		long chunks = awaitReady(bearer, documents, worker, started + timeout.toNanos());
		UUID workspace = UUID.fromString(send(HttpRequest.newBuilder(URI.create(this.chatApi + "/api/owner/workspace"))
			.header("Authorization", bearer)
			.GET(), 200).get("id").asString());
		return new Uploaded(workspace, documents, chunks, (System.nanoTime() - started) / 1e9);
	}

	private long awaitReady(String bearer, Map<String, UUID> documents, String worker, long deadline) throws Exception {
		while (true) {
			// runs the worker's ingestion of every pending version; answers when it is done
			HttpResponse<Void> backfill = this.http.send(HttpRequest.newBuilder(URI.create(worker + "/backfill"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.timeout(Duration.ofMinutes(30))
				.build(), HttpResponse.BodyHandlers.discarding());
			if (backfill.statusCode() >= 300) {
				throw new IllegalStateException("POST " + worker + "/backfill answered " + backfill.statusCode());
			}
			long chunks = 0;
			List<String> waiting = new ArrayList<>();
			for (Map.Entry<String, UUID> entry : documents.entrySet()) {
				JsonNode document = send(HttpRequest.newBuilder(URI.create(this.chatApi + "/api/owner/documents/" + entry.getValue()))
					.header("Authorization", bearer)
					.GET(), 200);
				String status = document.get("status").asString();
				if ("failed".equals(status)) {
					throw new IllegalStateException(entry.getKey() + " failed: " + document.get("failure_reason").asString());
				}
				if (!"ready".equals(status)) {
					waiting.add(entry.getKey() + " (" + status + ")");
				}
				chunks += document.get("chunk_count").asLong();
			}
			System.out.printf("  documents: %d/%d ready, %d chunks%s%n", documents.size() - waiting.size(), documents.size(),
					chunks, waiting.isEmpty() ? "" : "; waiting for " + String.join(", ", waiting));
			if (waiting.isEmpty()) {
				return chunks;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("documents not ready in time: " + waiting);
			}
			Thread.sleep(2000);
		}
	}

	private static String part(String boundary, String name, String fileName, String content) {
		String disposition = "form-data; name=\"" + name + "\""
				+ (fileName == null ? "" : "; filename=\"" + fileName + "\"");
		return "--" + boundary + "\r\nContent-Disposition: " + disposition + "\r\n"
				+ (fileName == null ? "" : "Content-Type: text/markdown; charset=utf-8\r\n") + "\r\n" + content + "\r\n";
	}

	private HttpRequest.Builder json(String path, String body) {
		return HttpRequest.newBuilder(URI.create(this.chatApi + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private JsonNode send(HttpRequest.Builder request, int expected) throws Exception {
		HttpResponse<String> response = this.http.send(request.timeout(Duration.ofMinutes(2)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != expected) {
			throw new IllegalStateException(response.request().method() + " " + response.request().uri().getPath()
					+ " answered " + response.statusCode() + " (expected " + expected + "): " + response.body());
		}
		return this.json.readTree(response.body());
	}

}
