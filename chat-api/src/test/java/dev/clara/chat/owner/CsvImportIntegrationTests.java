package dev.clara.chat.owner;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.clara.chat.ChatApiHttp.Reply;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CsvImportIntegrationTests extends OwnerIntegrationTest {

	/** 10,000 data rows, 50 of them bad in five different ways, with quotes, commas, line breaks and a BOM. */
	static byte[] bigCsv(Map<Integer, String> badRows) {
		StringBuilder csv = new StringBuilder("\uFEFFquestion,answer,category\r\n");
		for (int row = 1; row <= 10_000; row++) {
			if (row % 200 == 0) {
				switch ((row / 200) % 5) {
					case 0 -> {
						csv.append(",\"An answer without a question\",general\r\n");
						badRows.put(row, "the question is empty");
					}
					case 1 -> {
						csv.append("\"Question ").append(row).append(" without an answer?\",,general\r\n");
						badRows.put(row, "the answer is empty");
					}
					case 2 -> {
						csv.append("\"Question ").append(row).append("\"junk,answer,general\r\n");
						badRows.put(row, "unexpected text after a closing quote");
					}
					case 3 -> {
						csv.append("\"").append("Very long question ").append("x".repeat(1100)).append(row).append("\",answer,general\r\n");
						badRows.put(row, "the question is longer than 1000 characters");
					}
					default -> {
						csv.append("Question ").append(row).append(" with a long category?,Answer,").append("c".repeat(60)).append("\r\n");
						badRows.put(row, "the category is longer than 50 characters");
					}
				}
				continue;
			}
			csv.append("\"Question ").append(row).append(": how do I do \"\"thing ").append(row).append("\"\", quickly?\",")
				.append("\"Step one.\nStep two, then three.\",")
				.append(row % 3 == 0 ? "pricing" : "general")
				.append("\r\n");
		}
		return csv.toString().getBytes(StandardCharsets.UTF_8);
	}

	JsonNode awaitDone(Owner owner, String jobId) {
		JsonNode[] job = new JsonNode[1];
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
			Reply reply = get(owner.token(), "/api/owner/qa-pairs/imports/" + jobId);
			assertThat(reply.status()).isEqualTo(200);
			job[0] = reply.json();
			String status = job[0].get("status").asString();
			assertThat(status).isIn("queued", "running", "completed");
			if (job[0].get("total_rows").isNumber()) {
				assertThat(job[0].get("processed_rows").asInt()).isLessThanOrEqualTo(job[0].get("total_rows").asInt());
			}
			return "completed".equals(status);
		});
		return job[0];
	}

	List<JsonNode> report(Owner owner, String jobId, String outcome) {
		List<JsonNode> rows = new ArrayList<>();
		for (int page = 1;; page++) {
			JsonNode reply = get(owner.token(), "/api/owner/qa-pairs/imports/" + jobId + "/rows?per_page=200&page=" + page
					+ (outcome == null ? "" : "&outcome=" + outcome)).json();
			reply.get("items").forEach(rows::add);
			if (reply.get("items").isEmpty() || rows.size() >= reply.get("total").asInt()) {
				return rows;
			}
		}
	}

	@Test
	void tenThousandRowsWithFiftyBadOnesImportNineThousandNineHundredFifty() {
		Owner owner = owner();
		Map<Integer, String> bad = new HashMap<>();
		byte[] csv = bigCsv(bad);
		assertThat(bad).hasSize(50);

		Reply accepted = upload(owner.token(), "/api/owner/qa-pairs/imports", "faq.csv", "text/csv", csv);
		assertThat(accepted.status()).isEqualTo(202);
		String jobId = accepted.json().get("id").asString();
		assertThat(accepted.header("Location")).isEqualTo("/api/owner/qa-pairs/imports/" + jobId);
		assertThat(accepted.json().get("file_name").asString()).isEqualTo("faq.csv");

		JsonNode job = awaitDone(owner, jobId);
		assertThat(job.get("total_rows").asInt()).isEqualTo(10_000);
		assertThat(job.get("processed_rows").asInt()).isEqualTo(10_000);
		assertThat(job.get("imported_rows").asInt()).isEqualTo(9_950);
		assertThat(job.get("invalid_rows").asInt()).isEqualTo(50);
		assertThat(job.get("duplicate_rows").asInt()).isZero();
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws AND source = 'csv_import'",
				owner.workspaceId())).isEqualTo(9_950);

		List<JsonNode> invalid = report(owner, jobId, "invalid");
		assertThat(invalid).hasSize(50);
		for (JsonNode row : invalid) {
			assertThat(row.get("reason").asString()).isEqualTo(bad.get(row.get("row_number").asInt()));
		}
		// the report covers every row, with the line where it starts (each good record spans two lines)
		assertThat(get(owner.token(), "/api/owner/qa-pairs/imports/" + jobId + "/rows").json().get("total").asInt())
			.isEqualTo(10_000);
		JsonNode first = report(owner, jobId, "imported").get(0);
		assertThat(first.get("row_number").asInt()).isEqualTo(1);
		assertThat(first.get("line_number").asInt()).isEqualTo(2);
		// quotes, commas and the line break survived
		String question = this.jdbc.sql("SELECT question || '|' || answer FROM qa_pairs WHERE id = :id")
			.param("id", java.util.UUID.fromString(first.get("qa_pair_id").asString()))
			.query(String.class)
			.single();
		assertThat(question).isEqualTo("Question 1: how do I do \"thing 1\", quickly?|Step one.\nStep two, then three.");

		// the same file again: nothing is imported twice
		Reply again = upload(owner.token(), "/api/owner/qa-pairs/imports", "faq.csv", "text/csv", csv);
		JsonNode second = awaitDone(owner, again.json().get("id").asString());
		assertThat(second.get("imported_rows").asInt()).isZero();
		assertThat(second.get("duplicate_rows").asInt()).isEqualTo(9_950);
		assertThat(second.get("invalid_rows").asInt()).isEqualTo(50);
		assertThat(second.get("file_sha256").asString()).isEqualTo(job.get("file_sha256").asString());
		assertThat(count("SELECT count(*) FROM qa_pairs WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(9_950);
		assertThat(report(owner, again.json().get("id").asString(), "duplicate").get(0).get("reason").asString())
			.isEqualTo("the question is already in the knowledge base");

		Reply list = get(owner.token(), "/api/owner/qa-pairs/imports");
		assertThat(list.json().get("total").asInt()).isEqualTo(2);
	}

	@Test
	void rawCsvBodyDuplicatesInsideTheFileAndExistingPairs() {
		Owner owner = owner();
		pair(owner, "Do you  offer REFUNDS?", "Yes.");
		String csv = "question,answer\n"
				+ "Do you offer refunds?,Within 30 days.\n" // already in the knowledge base (case, spacing)
				+ "How long is the trial?,14 days.\n"
				+ "how long is the TRIAL?,Two weeks.\n" // same as row 2 of this file
				+ "\"Multi\nline?\",\"Yes\"\n";
		Reply accepted = this.http.send(HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/api/owner/qa-pairs/imports?file_name=raw.csv"))
			.header("Authorization", "Bearer " + owner.token())
			.header("Content-Type", "text/csv; charset=utf-8")
			.POST(HttpRequest.BodyPublishers.ofString(csv))
			.build());
		assertThat(accepted.status()).isEqualTo(202);
		JsonNode job = awaitDone(owner, accepted.json().get("id").asString());
		assertThat(job.get("file_name").asString()).isEqualTo("raw.csv");
		assertThat(job.get("imported_rows").asInt()).isEqualTo(2);
		assertThat(job.get("duplicate_rows").asInt()).isEqualTo(2);
		List<JsonNode> rows = report(owner, job.get("id").asString(), null);
		assertThat(rows).extracting(row -> row.get("outcome").asString())
			.containsExactly("duplicate", "imported", "duplicate", "imported");
		assertThat(rows.get(0).get("reason").asString()).isEqualTo("the question is already in the knowledge base");
		assertThat(rows.get(2).get("reason").asString()).isEqualTo("same question as row 2 of this file");
		assertThat(rows.get(3).get("line_number").asInt()).isEqualTo(5);
	}

	@Test
	void badUploadsAreRefusedWithProblems() throws java.io.IOException {
		Owner owner = owner();
		Reply empty = upload(owner.token(), "/api/owner/qa-pairs/imports", "empty.csv", "text/csv", new byte[0]);
		assertThat(empty.status()).isEqualTo(400);
		assertThat(empty.header("Content-Type")).startsWith("application/problem+json");
		Reply json = post(owner.token(), "/api/owner/qa-pairs/imports", "{}");
		assertThat(json.status()).isEqualTo(415);
		// over the 20 MB limit: refused on the declared length, before the body is read or stored
		String tooBig = rawRequest("POST /api/owner/qa-pairs/imports HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
				+ owner.token() + "\r\nContent-Type: text/csv\r\nContent-Length: " + (25 * 1024 * 1024) + "\r\n\r\n");
		assertThat(tooBig).startsWith("HTTP/1.1 413").contains("application/problem+json");
		assertThat(count("SELECT count(*) FROM qa_import_jobs WHERE workspace_id = :ws", owner.workspaceId())).isZero();
	}

	/** Sends the head of a request and returns what the server answers before any body is sent. */
	String rawRequest(String head) throws java.io.IOException {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			byte[] buffer = new byte[8192];
			int n = socket.getInputStream().read(buffer);
			return new String(buffer, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
		}
	}

	@Test
	void aFileOfOnlyAHeaderCompletesWithNothing() {
		Owner owner = owner();
		Reply accepted = upload(owner.token(), "/api/owner/qa-pairs/imports", "h.csv", "text/csv",
				"question,answer,category\n".getBytes(StandardCharsets.UTF_8));
		JsonNode job = awaitDone(owner, accepted.json().get("id").asString());
		assertThat(job.get("total_rows").asInt()).isZero();
		assertThat(job.get("imported_rows").asInt()).isZero();
	}

}
