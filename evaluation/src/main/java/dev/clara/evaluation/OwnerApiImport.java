package dev.clara.evaluation;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.clara.evaluation.KnowledgeBase.Pair;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The product's own import path, as an owner uses it: sign up (which creates the owner's one
 * workspace), upload the knowledge base as a CSV file to {@code POST /api/owner/qa-pairs/imports}
 * (answered 202 with a job), follow the job until it completes, read the workspace's id.
 */
final class OwnerApiImport implements KnowledgeImport {

	static final String PATH = "owner API CSV import (POST /api/owner/qa-pairs/imports)";

	private final HttpClient http;

	private final String chatApi;

	private final JsonMapper json = JsonMapper.builder().build();

	OwnerApiImport(HttpClient http, String chatApi) {
		this.http = http;
		this.chatApi = chatApi;
	}

	/** Whether the chat-api serves the owner API's CSV import (401 without a token, not 404). */
	static boolean available(HttpClient http, String chatApi) {
		try {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(chatApi + "/api/owner/qa-pairs/imports"))
				.timeout(Duration.ofSeconds(10))
				.GET()
				.build(), HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 401 || response.statusCode() == 200;
		}
		catch (Exception ex) {
			return false;
		}
	}

	@Override
	public Imported run(String label, List<Pair> pairs) throws Exception {
		String email = "eval-" + label + "-" + UUID.randomUUID() + "@example.test";
		String password = "eval-" + UUID.randomUUID();
		String credentials = this.json.writeValueAsString(
				this.json.createObjectNode().put("email", email).put("password", password));
		// sign-up answers 202 without a session (the same for a taken address); the evaluation's
		// chat-api has no SMTP server, so no confirmation is needed before signing in
		send(HttpRequest.newBuilder(URI.create(this.chatApi + "/api/owner/auth/signup"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(credentials)), 202);
		JsonNode session = send(HttpRequest.newBuilder(URI.create(this.chatApi + "/api/owner/auth/signin"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(credentials)), 200);
		String bearer = "Bearer " + session.get("access_token").asString();

		String fileName = "clinc150-" + label + ".csv";
		JsonNode job = send(HttpRequest.newBuilder(URI.create(this.chatApi + "/api/owner/qa-pairs/imports?file_name="
				+ URLEncoder.encode(fileName, StandardCharsets.UTF_8)))
			.header("Authorization", bearer)
			.header("Content-Type", "text/csv; charset=utf-8")
			.POST(HttpRequest.BodyPublishers.ofString(Csv.of(pairs), StandardCharsets.UTF_8)), 202);
		String jobId = job.get("id").asString();
		long lastPrint = 0;
		while (!List.of("completed", "failed", "interrupted").contains(job.get("status").asString())) {
			Thread.sleep(1000);
			job = send(HttpRequest.newBuilder(URI.create(this.chatApi + "/api/owner/qa-pairs/imports/" + jobId))
				.header("Authorization", bearer)
				.GET(), 200);
			if (System.nanoTime() - lastPrint > 5_000_000_000L) {
				System.out.printf("  CSV import job %s: %s, %d/%s rows processed%n", jobId, job.get("status").asString(),
						job.get("processed_rows").asInt(), job.path("total_rows").isNull() ? "?" : job.path("total_rows").asString());
				lastPrint = System.nanoTime();
			}
		}
		if (!"completed".equals(job.get("status").asString())) {
			throw new IllegalStateException("CSV import job " + jobId + " ended " + job.get("status").asString() + ": " + job);
		}
		JsonNode workspace = send(HttpRequest.newBuilder(URI.create(this.chatApi + "/api/owner/workspace"))
			.header("Authorization", bearer)
			.GET(), 200);
		String report = String.format("job %s: %d imported, %d duplicate, %d invalid of %d rows", jobId,
				job.get("imported_rows").asInt(), job.get("duplicate_rows").asInt(), job.get("invalid_rows").asInt(),
				job.get("total_rows").asInt());
		return new Imported(UUID.fromString(workspace.get("id").asString()), PATH, job.get("imported_rows").asLong(), report);
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
