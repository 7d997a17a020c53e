package dev.clara.chat.owner.documents;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.ChatApiHttp.Reply;
import dev.clara.chat.owner.OwnerIntegrationTest;
import dev.clara.shared.events.DocumentChanged;
import dev.clara.shared.events.EventCodec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The document endpoints against the real database: storage, outbox events, formats, tenants. */
class DocumentsIntegrationTests extends OwnerIntegrationTest {

	private static final EventCodec CODEC = new EventCodec();

	@Test
	void anUploadIsStoredPrivatelyAnnouncedAndListed() throws Exception {
		Owner owner = owner();
		byte[] markdown = DocumentFixtures.MARKDOWN.getBytes(StandardCharsets.UTF_8);
		Reply uploaded = uploadDocument(owner.token(), "/api/owner/documents", "returns.md", "text/markdown", markdown,
				"Returns policy");
		assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(202);
		JsonNode document = uploaded.json();
		UUID id = UUID.fromString(document.get("id").asString());
		assertThat(uploaded.header("Location")).isEqualTo("/api/owner/documents/" + id);
		assertThat(document.get("status").asString()).isEqualTo("pending");
		assertThat(document.get("title").asString()).isEqualTo("Returns policy");
		assertThat(document.get("file_name").asString()).isEqualTo("returns.md");
		assertThat(document.get("content_type").asString()).isEqualTo("text/markdown");
		assertThat(document.get("file_size").asLong()).isEqualTo(markdown.length);
		assertThat(document.get("version").asInt()).isEqualTo(1);
		assertThat(document.get("serving_version").isNull()).isTrue();
		assertThat(document.get("chunk_count").asLong()).isZero();
		assertThat(document.get("failure_reason").isNull()).isTrue();

		// the original, in the private bucket under the workspace's folder
		String path = owner.workspaceId() + "/" + id + "/v1";
		assertThat(storedBytes(path)).isEqualTo(markdown);
		assertThat(download(owner.token(), id)).isEqualTo(markdown);
		assertThat(get(null, "/storage/v1/object/public/documents/" + path).status()).isEqualTo(404);

		// announced in the same transaction
		assertThat(events(owner.workspaceId())).containsExactly(
				new DocumentChanged(id, DocumentChanged.UPLOADED, 1, "text/markdown", markdown.length));

		Reply list = get(owner.token(), "/api/owner/documents");
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.json().get("total").asLong()).isEqualTo(1);
		assertThat(list.json().get("items").get(0).get("id").asString()).isEqualTo(id.toString());
		assertThat(get(owner.token(), "/api/owner/documents/" + id).json().get("status").asString()).isEqualTo("pending");
	}

	@Test
	void formatsAreRecognisedByContentNotName() {
		Owner owner = owner();
		assertThat(typeOf(owner, "manual.txt", DocumentFixtures.pdf("Opening hours are nine to five")))
			.isEqualTo("application/pdf");
		assertThat(typeOf(owner, "notes.bin", DocumentFixtures.docx("Shipping", "We ship worldwide.")))
			.isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
		assertThat(typeOf(owner, "page.txt",
				"<!DOCTYPE html><html><head><title>Help</title></head><body><h1>Help</h1><p>Hello.</p></body></html>"
					.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("text/html");
		assertThat(typeOf(owner, "readme", "Plain words, nothing more.".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("text/plain");
		// a PDF named .md is a PDF; Markdown cannot be proved by content, so its name refines plain text
		assertThat(typeOf(owner, "guide.md", DocumentFixtures.MARKDOWN.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("text/markdown");

		byte[] png = java.util.Base64.getDecoder()
			.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
		for (byte[] refused : List.of(png, DocumentFixtures.zip("a.txt", "not a word document"))) {
			Reply reply = uploadDocument(owner.token(), "/api/owner/documents", "x.pdf", "application/pdf", refused, null);
			assertThat(reply.status()).isEqualTo(415);
			assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
		}
		assertThat(uploadDocument(owner.token(), "/api/owner/documents", "x.txt", "text/plain", new byte[0], null)
			.status()).isEqualTo(400);
		assertThat(uploadDocument(owner.token(), "/api/owner/documents", "x.txt", "text/plain",
				"fine".getBytes(StandardCharsets.UTF_8), "bad\u0007title").status()).isEqualTo(400);
		// a raw body is not an upload
		assertThat(send(owner.token(), "POST", "/api/owner/documents", "{\"file\": \"x\"}").status()).isEqualTo(415);
		// refused uploads store nothing
		assertThat(count("SELECT count(*) FROM documents WHERE workspace_id = :ws", owner.workspaceId())).isEqualTo(5);
	}

	@Test
	void anUploadOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
		Owner owner = owner();
		// the declared length alone decides: the body is never sent
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			String head = "POST /api/owner/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + owner.token()
					+ "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: " + (51L * 1024 * 1024)
					+ "\r\nConnection: close\r\n\r\n";
			socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
					StandardCharsets.US_ASCII)).readLine();
			assertThat(status).startsWith("HTTP/1.1 413");
		}
		assertThat(count("SELECT count(*) FROM documents WHERE workspace_id = :ws", owner.workspaceId())).isZero();
	}

	@Test
	void aNewVersionReplacesTheFileAndIsAnnounced() throws Exception {
		Owner owner = owner();
		UUID id = id(uploadDocument(owner.token(), "/api/owner/documents", "faq.md", "text/markdown",
				DocumentFixtures.MARKDOWN.getBytes(StandardCharsets.UTF_8), null));
		assertThat(get(owner.token(), "/api/owner/documents/" + id).json().get("title").asString()).isEqualTo("faq");
		byte[] second = "# Returns\n\nReturns are free for 60 days.\n".getBytes(StandardCharsets.UTF_8);
		Reply replaced = uploadDocument(owner.token(), "/api/owner/documents/" + id + "/versions", "faq-2.md",
				"text/markdown", second, null);
		assertThat(replaced.status()).as(replaced.body()).isEqualTo(202);
		assertThat(replaced.json().get("version").asInt()).isEqualTo(2);
		assertThat(replaced.json().get("status").asString()).isEqualTo("pending");
		assertThat(replaced.json().get("title").asString()).as("kept without a new title").isEqualTo("faq");
		assertThat(storedBytes(owner.workspaceId() + "/" + id + "/v2")).isEqualTo(second);
		assertThat(count("SELECT count(*) FROM storage.objects WHERE bucket_id = 'documents' AND name LIKE CAST(:ws AS text) || '/%'",
				owner.workspaceId())).isEqualTo(1);
		assertThat(download(owner.token(), id)).isEqualTo(second);
		assertThat(events(owner.workspaceId())).extracting(DocumentChanged::version).containsExactly(1, 2);
		assertThat(uploadDocument(owner.token(), "/api/owner/documents/" + UUID.randomUUID() + "/versions", "x.md",
				"text/markdown", second, null).status()).isEqualTo(404);
	}

	@Test
	void theChunksOfTheServingVersionAreListedInOrder() {
		Owner owner = owner();
		UUID id = id(uploadDocument(owner.token(), "/api/owner/documents", "faq.md", "text/markdown",
				DocumentFixtures.MARKDOWN.getBytes(StandardCharsets.UTF_8), null));
		assertThat(get(owner.token(), "/api/owner/documents/" + id + "/chunks").json().get("total").asLong())
			.as("nothing serves before the worker made a version ready").isZero();
		// as the embedding worker leaves a ready version 1 (and version 2 on its way)
		this.jdbc.sql("UPDATE documents SET status = 'ready', serving_version = 1 WHERE id = :id").param("id", id).update();
		for (int version = 1; version <= 2; version++) {
			for (int index = 1; index >= 0; index--) {
				this.jdbc.sql("""
						INSERT INTO document_chunks (document_id, workspace_id, document_version, chunk_index, content, metadata)
						VALUES (:id, :ws, :version, :index, :content, jsonb_build_object('heading', 'Returns'))
						""").param("id", id).param("ws", owner.workspaceId()).param("version", version)
					.param("index", index).param("content", "v" + version + " chunk " + index).update();
			}
		}
		Reply chunks = get(owner.token(), "/api/owner/documents/" + id + "/chunks");
		assertThat(chunks.status()).isEqualTo(200);
		assertThat(chunks.json().get("total").asLong()).isEqualTo(2);
		assertThat(chunks.json().get("items")).extracting(chunk -> chunk.get("content").asString())
			.containsExactly("v1 chunk 0", "v1 chunk 1");
		assertThat(chunks.json().get("items").get(0).get("heading").asString()).isEqualTo("Returns");
		assertThat(get(owner.token(), "/api/owner/documents/" + id).json().get("chunk_count").asLong()).isEqualTo(2);
		assertThat(get(owner().token(), "/api/owner/documents/" + id + "/chunks").status())
			.as("another owner").isEqualTo(404);
	}

	@Test
	void deletingRemovesTheDocumentItsChunksAndItsFiles() {
		Owner owner = owner();
		UUID id = id(uploadDocument(owner.token(), "/api/owner/documents", "faq.md", "text/markdown",
				DocumentFixtures.MARKDOWN.getBytes(StandardCharsets.UTF_8), null));
		this.jdbc.sql("""
				INSERT INTO document_chunks (document_id, workspace_id, chunk_index, content) VALUES (:id, :ws, 0, 'text')
				""").param("id", id).param("ws", owner.workspaceId()).update();
		assertThat(delete(owner.token(), "/api/owner/documents/" + id).status()).isEqualTo(204);
		assertThat(get(owner.token(), "/api/owner/documents/" + id).status()).isEqualTo(404);
		assertThat(count("SELECT count(*) FROM document_chunks WHERE workspace_id = :ws", owner.workspaceId())).isZero();
		assertThat(count("SELECT count(*) FROM storage.objects WHERE bucket_id = 'documents' AND name LIKE CAST(:ws AS text) || '/%'",
				owner.workspaceId())).isZero();
		assertThat(events(owner.workspaceId())).extracting(DocumentChanged::operation)
			.containsExactly(DocumentChanged.UPLOADED, DocumentChanged.DELETED);
		assertThat(delete(owner.token(), "/api/owner/documents/" + id).status()).isEqualTo(404);
	}

	@Test
	void anotherOwnerCannotReadListDownloadReplaceOrDeleteADocument() throws Exception {
		Owner a = owner();
		Owner b = owner();
		UUID id = id(uploadDocument(a.token(), "/api/owner/documents", "secret.md", "text/markdown",
				DocumentFixtures.MARKDOWN.getBytes(StandardCharsets.UTF_8), null));
		assertThat(get(b.token(), "/api/owner/documents/" + id).status()).isEqualTo(404);
		assertThat(get(b.token(), "/api/owner/documents/" + id + "/file").status()).isEqualTo(404);
		assertThat(get(b.token(), "/api/owner/documents").json().get("total").asLong()).isZero();
		assertThat(uploadDocument(b.token(), "/api/owner/documents/" + id + "/versions", "x.md", "text/markdown",
				"# Mine now".getBytes(StandardCharsets.UTF_8), null).status()).isEqualTo(404);
		assertThat(delete(b.token(), "/api/owner/documents/" + id).status()).isEqualTo(404);
		assertThat(get(a.token(), "/api/owner/documents/" + id).json().get("version").asInt()).isEqualTo(1);
		assertThat(get(null, "/api/owner/documents/" + id).status()).isEqualTo(401);
		assertThat(get(a.token(), "/api/owner/documents/not-a-uuid").status()).isEqualTo(404);

		// and below the API, the storage policies: B sees none of A's files and cannot write into A's folder
		long visible = this.ownerDb.as(b.principal(), sql -> sql
			.sql("SELECT count(*) FROM storage.objects WHERE bucket_id = 'documents'")
			.query(Long.class)
			.single());
		assertThat(visible).isZero();
		assertThatThrownBy(() -> this.ownerDb.run(b.principal(), sql -> sql
			.sql("INSERT INTO storage.objects (bucket_id, name) VALUES ('documents', :name)")
			.param("name", a.workspaceId() + "/" + UUID.randomUUID() + "/v1")
			.update())).rootCause().hasMessageContaining("row-level security");
	}

	// ───────────────────────────── helpers ─────────────────────────────

	private String typeOf(Owner owner, String fileName, byte[] content) {
		Reply reply = uploadDocument(owner.token(), "/api/owner/documents", fileName, "application/octet-stream",
				content, null);
		assertThat(reply.status()).as(reply.body()).isEqualTo(202);
		return reply.json().get("content_type").asString();
	}

	private static UUID id(Reply reply) {
		assertThat(reply.status()).as(reply.body()).isEqualTo(202);
		return UUID.fromString(reply.json().get("id").asString());
	}

	/** A multipart upload with the field {@code file} and, when given, {@code title}. */
	Reply uploadDocument(String token, String path, String fileName, String contentType, byte[] content, String title) {
		String boundary = "----clara-test-" + UUID.randomUUID();
		StringBuilder head = new StringBuilder();
		if (title != null) {
			head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n")
				.append(title).append("\r\n");
		}
		head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
			.append(fileName).append("\"\r\nContent-Type: ").append(contentType).append("\r\n\r\n");
		byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
		byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
		byte[] body = new byte[start.length + content.length + tail.length];
		System.arraycopy(start, 0, body, 0, start.length);
		System.arraycopy(content, 0, body, start.length, content.length);
		System.arraycopy(tail, 0, body, start.length + content.length, tail.length);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.http.baseUrl() + path))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.http.send(request.build());
	}

	private byte[] download(String token, UUID id) throws Exception {
		HttpResponse<byte[]> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.http.baseUrl() + "/api/owner/documents/" + id + "/file"))
				.header("Authorization", "Bearer " + token)
				.GET()
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment");
		assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
		return response.body();
	}

	private byte[] storedBytes(String path) {
		return this.jdbc.sql("""
				SELECT c.content FROM storage.objects o JOIN storage_object_contents c ON c.object_id = o.id
				WHERE o.bucket_id = 'documents' AND o.name = :name
				""").param("name", path).query(byte[].class).single();
	}

	private List<DocumentChanged> events(UUID workspace) {
		return this.jdbc.sql("""
				SELECT payload::text FROM outbox_events
				WHERE workspace_id = :ws AND event_type = 'DocumentChanged' ORDER BY created_at, occurred_at
				""").param("ws", workspace).query(String.class).list().stream()
			.map(json -> CODEC.fromJson(json, DocumentChanged.class).payload())
			.toList();
	}

}
