package dev.clara.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A document through the real ingestion path, timed: a handbook PDF of {@code pages} pages
 * ({@link HandbookPdf}) uploaded through the owner API, published by the CDC relay, read by the
 * embedding worker (Tika in a child JVM), chunked and embedded. Prints pages extracted per second,
 * chunks embedded per second, upload → ready, the child's peak RSS (its own VmHWM, which it reports
 * to the worker before it exits) and the worker's (its VmHWM, read here from /proc). The figures
 * come from the worker's own timers, stored in the version's {@code documents.metadata}, and from
 * the database's timestamps (one clock). A small document goes first as a warm-up (JIT, the model's
 * first calls). Run by {@code ./clara bench documents}; see bench/README.md.
 *
 * Arguments: jdbcUrl chatApiUrl workerPid [pages=200]
 */
public class DocumentIngestionThroughput {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration LIMIT = Duration.ofMinutes(30);

	public static void main(String[] args) throws Exception {
		String jdbcUrl = args[0];
		String chatApi = args[1];
		long workerPid = Long.parseLong(args[2]);
		int pages = args.length > 3 ? Integer.parseInt(args[3]) : 200;
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		String loadBefore = loadAverage();

		byte[] warmUp = HandbookPdf.generate(5, 7);
		long generating = System.nanoTime();
		byte[] handbook = HandbookPdf.generate(pages, 42);
		System.out.printf("handbook: %d pages, %,d bytes, generated in %d ms%n", pages, handbook.length,
				(System.nanoTime() - generating) / 1_000_000);

		String token = signIn(http, chatApi);
		long warming = System.nanoTime();
		UUID first = upload(http, chatApi, token, "Warm-up handbook", warmUp);
		awaitReady(http, chatApi, token, first);
		System.out.printf("warm-up: a 5-page handbook ready in %.1f s%n", (System.nanoTime() - warming) / 1e9);
		String workerPeakBefore = procStatus(workerPid, "VmHWM");

		long started = System.nanoTime();
		UUID document = upload(http, chatApi, token, "Customer handbook", handbook);
		double uploadSeconds = (System.nanoTime() - started) / 1e9;
		JsonNode ready = awaitReady(http, chatApi, token, document);
		double clientSeconds = (System.nanoTime() - started) / 1e9;
		String workerPeakAfter = procStatus(workerPid, "VmHWM");

		try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
			Figures figures = figures(db, document);
			print(pages, handbook.length, ready.path("chunk_count").asInt(), uploadSeconds, clientSeconds, figures,
					workerPeakBefore, workerPeakAfter, procStatus(workerPid, "VmRSS"), loadBefore, loadAverage());
		}
	}

	/** What the database knows of one ingestion: the worker's figures and the timestamps. */
	record Figures(String model, long pages, long characters, long chunks, long extractionMs, long parseMs,
			long childPeakKb, long chunkingMs, long embeddingMs, double uploadToStored, double storedToEmbedded,
			double uploadToReady, double averageChunkChars) {
	}

	static Figures figures(Connection db, UUID document) throws Exception {
		try (PreparedStatement query = db.prepareStatement("""
				SELECT (SELECT search_model FROM workspaces w WHERE w.id = d.workspace_id) AS model,
				       (d.metadata->>'pages')::bigint AS pages, (d.metadata->>'characters')::bigint AS characters,
				       (d.metadata->>'extraction_ms')::bigint AS extraction_ms, (d.metadata->>'parse_ms')::bigint AS parse_ms,
				       (d.metadata->>'extraction_peak_rss_kb')::bigint AS child_kb,
				       (d.metadata->>'chunking_ms')::bigint AS chunking_ms, (d.metadata->>'embedding_ms')::bigint AS embedding_ms,
				       count(c.id) AS chunks, avg(length(c.content)) AS chunk_chars,
				       extract(epoch FROM min(c.created_at) - d.created_at) AS upload_to_stored,
				       extract(epoch FROM max(c.embedded_at) - min(c.created_at)) AS stored_to_embedded,
				       extract(epoch FROM d.updated_at - d.created_at) AS upload_to_ready
				FROM documents d JOIN document_chunks c ON c.document_id = d.id AND c.document_version = d.serving_version
				WHERE d.id = ?
				GROUP BY d.id
				""")) {
			query.setObject(1, document);
			try (ResultSet row = query.executeQuery()) {
				if (!row.next()) {
					throw new IllegalStateException("document " + document + " has no serving chunks");
				}
				return new Figures(row.getString("model"), row.getLong("pages"), row.getLong("characters"),
						row.getLong("chunks"), row.getLong("extraction_ms"), row.getLong("parse_ms"), row.getLong("child_kb"),
						row.getLong("chunking_ms"), row.getLong("embedding_ms"), row.getDouble("upload_to_stored"),
						row.getDouble("stored_to_embedded"), row.getDouble("upload_to_ready"), row.getDouble("chunk_chars"));
			}
		}
	}

	private static void print(int pages, int bytes, int chunkCount, double uploadSeconds, double clientSeconds, Figures f,
			String workerPeakBefore, String workerPeakAfter, String workerRssNow, String loadBefore, String loadAfter) {
		System.out.printf("%n== a %d-page PDF (%,d bytes) through upload → relay → worker, model %s%n", pages, bytes, f.model());
		System.out.printf("%-44s %s%n", "step", "figure");
		row("upload (owner API, HTTP)", "%.2f s", uploadSeconds);
		row("extraction, child JVM start included", "%.2f s: %.1f pages/s (%d pages, %,d characters)",
				f.extractionMs() / 1e3, f.pages() / (f.extractionMs() / 1e3), f.pages(), f.characters());
		row("  of which in the child after the JVM start", "%.2f s: %.1f pages/s (Tika's loading and the parse)",
				f.parseMs() / 1e3, f.pages() / (f.parseMs() / 1e3));
		row("chunking", "%.2f s: %d chunks, %.0f characters on average", f.chunkingMs() / 1e3, f.chunks(),
				f.averageChunkChars());
		row("embedding (worker's timer, writes included)", "%.1f s: %.1f chunks/s", f.embeddingMs() / 1e3,
				f.chunks() / (f.embeddingMs() / 1e3));
		row("first chunk stored → last chunk embedded", "%.1f s: %.1f chunks/s (database clock)", f.storedToEmbedded(),
				f.chunks() / f.storedToEmbedded());
		row("upload → chunks stored", "%.1f s (relay, Kafka, claim, copy, extraction, chunking)", f.uploadToStored());
		row("upload → ready", "%.1f s (database clock); %.1f s seen by the client", f.uploadToReady(), clientSeconds);
		row("peak RSS of the extraction child", "%.0f MB (its own VmHWM, reported when it finishes)",
				f.childPeakKb() / 1024.0);
		row("peak RSS of the embedding worker", "%s (VmHWM; %s before this document, %s now)", workerPeakAfter,
				workerPeakBefore, workerRssNow);
		row("load average (1/5/15 min)", "%s before, %s after", loadBefore, loadAfter);
		if (chunkCount != f.chunks()) {
			System.out.printf("note: the owner API counts %d chunks, the database %d%n", chunkCount, f.chunks());
		}
	}

	private static void row(String step, String format, Object... values) {
		System.out.printf("%-44s %s%n", step, String.format(format, values));
	}

	private static String signIn(HttpClient http, String chatApi) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(chatApi + "/api/owner/auth/signin"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"demo@clara.local\",\"password\":\"clara-demo\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("demo sign-in answered " + response.statusCode() + ": " + response.body());
		}
		return JSON.readTree(response.body()).path("access_token").asString();
	}

	/** {@code POST /api/owner/documents} as a browser's form would send it; the new document's id. */
	static UUID upload(HttpClient http, String chatApi, String token, String title, byte[] pdf) throws Exception {
		String boundary = "clara-bench-" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n" + title + "\r\n")
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"handbook.pdf\"\r\n"
				+ "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes(pdf);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(chatApi + "/api/owner/documents"))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 202) {
			throw new IllegalStateException("the upload answered " + response.statusCode() + ": " + response.body());
		}
		return UUID.fromString(JSON.readTree(response.body()).path("id").asString());
	}

	private static JsonNode awaitReady(HttpClient http, String chatApi, String token, UUID document) throws Exception {
		long deadline = System.nanoTime() + LIMIT.toNanos();
		String last = "";
		while (System.nanoTime() < deadline) {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(chatApi + "/api/owner/documents/" + document))
						.header("Authorization", "Bearer " + token)
						.build(),
					HttpResponse.BodyHandlers.ofString());
			JsonNode json = JSON.readTree(response.body());
			String status = json.path("status").asString();
			if (status.equals("ready")) {
				return json;
			}
			if (status.equals("failed")) {
				throw new IllegalStateException("document " + document + " failed: " + json.path("failure_reason").asString());
			}
			if (!status.equals(last)) {
				System.out.printf("  document %s: %s%n", document, status);
				last = status;
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException("document " + document + " not ready within " + LIMIT);
	}

	static String procStatus(long pid, String field) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith(field + ":")) {
				long kb = Long.parseLong(line.replaceAll("\\D", ""));
				return String.format("%.0f MB", kb / 1024.0);
			}
		}
		return "?";
	}

	private static String loadAverage() throws IOException {
		String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
		return fields[0] + " " + fields[1] + " " + fields[2];
	}

}
