package dev.clara.chat.owner.documents;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.OwnerForms;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;
import dev.clara.shared.events.DocumentChanged;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The owner's documents: upload (multipart {@code file}, optional {@code title}) → 202 with the
 * document {@code pending}; a new version of a document the same way; list, read (status, chunk
 * count, the reason when failed), download the original, delete. The original bytes are kept in
 * the private bucket {@code documents} at {@code {workspace_id}/{document_id}/v{n}}; each upload
 * commits with its {@code DocumentChanged} outbox row, which the embedding worker ingests.
 */
@RestController
@RequestMapping("/api/owner/documents")
class DocumentController {

	private final OwnerDb db;

	private final DocumentRepository documents;

	private final DocumentEvents events;

	private final JsonMapper json;

	private final OwnerProperties.Documents settings;

	DocumentController(OwnerDb db, DocumentRepository documents, DocumentEvents events, JsonMapper json,
			OwnerProperties properties) {
		this.db = db;
		this.documents = documents;
		this.events = events;
		this.json = json;
		this.settings = properties.documents();
	}

	@PostMapping
	ResponseEntity<DocumentRepository.Document> upload(OwnerPrincipal owner, HttpServletRequest request)
			throws IOException {
		DocumentRepository.Upload upload = DocumentUploads.read(request, this.settings.maxBytes().toBytes());
		try {
			String requested = OwnerForms.title(request, this.settings.maxTitleChars());
			String title = requested != null ? requested : truncate(DocumentUploads.titleOf(upload));
			UUID id = UUID.randomUUID();
			DocumentRepository.Document document = this.db.as(owner, sql -> {
				UUID workspace = OwnerDb.workspaceId(sql);
				String prefix = folder(workspace, id);
				String path = prefix + "1";
				this.documents.insert(sql, id, workspace, title, path, upload);
				this.documents.storeFile(sql, workspace, this.settings.bucket(), path, metadata(upload), upload, prefix);
				DocumentRepository.Document stored = this.documents.find(sql, id).orElseThrow();
				this.events.publish(sql, workspace, new DocumentChanged(id, DocumentChanged.UPLOADED, 1,
						upload.type().mediaType(), upload.size()));
				return stored;
			});
			return ResponseEntity.accepted().location(URI.create("/api/owner/documents/" + id)).body(document);
		}
		finally {
			Files.deleteIfExists(upload.file());
		}
	}

	/**
	 * A new version: its chunks replace the previous version's once they are all embedded; until
	 * then the previous version keeps answering.
	 */
	@PostMapping("/{id}/versions")
	ResponseEntity<DocumentRepository.Document> newVersion(OwnerPrincipal owner, @PathVariable String id,
			HttpServletRequest request) throws IOException {
		UUID document = Ids.parse(id, "document");
		DocumentRepository.Upload upload = DocumentUploads.read(request, this.settings.maxBytes().toBytes());
		try {
			String title = OwnerForms.title(request, this.settings.maxTitleChars());
			DocumentRepository.Document stored = this.db.as(owner, sql -> {
				UUID workspace = OwnerDb.workspaceId(sql);
				this.documents.lock(sql, document).orElseThrow(() -> OwnerProblems.notFound("document"));
				String prefix = folder(workspace, document);
				DocumentRepository.NewVersion version = this.documents.newVersion(sql, document, prefix, title, upload);
				this.documents.storeFile(sql, workspace, this.settings.bucket(), version.path(), metadata(upload),
						upload, prefix);
				DocumentRepository.Document updated = this.documents.find(sql, document).orElseThrow();
				this.events.publish(sql, workspace, new DocumentChanged(document, DocumentChanged.UPLOADED,
						version.version(), upload.type().mediaType(), upload.size()));
				return updated;
			});
			return ResponseEntity.accepted().location(URI.create("/api/owner/documents/" + document)).body(stored);
		}
		finally {
			Files.deleteIfExists(upload.file());
		}
	}

	@GetMapping
	Paging.Page<DocumentRepository.Document> list(OwnerPrincipal owner, @RequestParam(required = false) String page,
			@RequestParam(name = "per_page", required = false) String perPage) {
		Paging paging = Paging.of(page, perPage);
		return this.db.as(owner, sql -> paging.page(this.documents.list(sql, paging.perPage(), paging.offset()),
				this.documents.count(sql)));
	}

	@GetMapping("/{id}")
	DocumentRepository.Document read(OwnerPrincipal owner, @PathVariable String id) {
		UUID document = Ids.parse(id, "document");
		return this.db.as(owner,
				sql -> this.documents.find(sql, document).orElseThrow(() -> OwnerProblems.notFound("document")));
	}

	/** The chunks of the serving version: what answers questions, with the heading path of each. */
	@GetMapping("/{id}/chunks")
	Paging.Page<DocumentRepository.Chunk> chunks(OwnerPrincipal owner, @PathVariable String id,
			@RequestParam(required = false) String page, @RequestParam(name = "per_page", required = false) String perPage) {
		UUID document = Ids.parse(id, "document");
		Paging paging = Paging.of(page, perPage);
		return this.db.as(owner, sql -> {
			this.documents.find(sql, document).orElseThrow(() -> OwnerProblems.notFound("document"));
			return paging.page(this.documents.chunks(sql, document, paging.perPage(), paging.offset()),
					this.documents.countChunks(sql, document));
		});
	}

	/** The original file of the newest version, as uploaded (never rendered: an attachment). */
	@GetMapping("/{id}/file")
	void download(OwnerPrincipal owner, @PathVariable String id, HttpServletResponse response) {
		UUID document = Ids.parse(id, "document");
		this.db.run(owner, sql -> {
			DocumentRepository.StoredFile file = this.documents.file(sql, this.settings.bucket(), document)
				.orElseThrow(() -> OwnerProblems.notFound("document"));
			response.setContentType(file.contentType());
			response.setContentLengthLong(file.size());
			response.setHeader("X-Content-Type-Options", "nosniff");
			response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
			response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
				.filename(file.fileName() == null ? "document" : file.fileName(), java.nio.charset.StandardCharsets.UTF_8)
				.build()
				.toString());
			try {
				this.documents.copyFile(sql, this.settings.bucket(), file, response.getOutputStream());
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		});
	}

	/** Deletes the document, its chunks, its links to conversations and its stored files. */
	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(OwnerPrincipal owner, @PathVariable String id) {
		UUID document = Ids.parse(id, "document");
		this.db.run(owner, sql -> {
			UUID workspace = OwnerDb.workspaceId(sql);
			int version = this.documents.delete(sql, document).orElseThrow(() -> OwnerProblems.notFound("document"));
			this.documents.deleteFiles(sql, this.settings.bucket(), folder(workspace, document));
			this.events.publish(sql, workspace, new DocumentChanged(document, DocumentChanged.DELETED, version, null, 0));
		});
		return ResponseEntity.noContent().build();
	}

	/** The folder of a document's versions: the workspace's folder first, as the bucket's policies require. */
	private static String folder(UUID workspace, UUID document) {
		return workspace + "/" + document + "/v";
	}

	private String metadata(DocumentRepository.Upload upload) {
		return this.json.writeValueAsString(Map.of("mimetype", upload.type().mediaType(), "size", upload.size(),
				"eTag", "\"" + upload.sha256() + "\""));
	}

	private String truncate(String title) {
		return title.length() > this.settings.maxTitleChars() ? title.substring(0, this.settings.maxTitleChars()) : title;
	}

}
