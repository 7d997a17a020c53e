package dev.clara.chat.owner.transcripts;

import java.io.IOException;
import java.net.URI;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.OwnerProperties;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.web.OwnerForms;
import dev.clara.chat.owner.web.Paging;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Support transcripts: upload one (multipart {@code file}, optional {@code title}) → 201 with the
 * pairs it proposes, each suggested or already covered by an existing pair; list them. Nothing
 * enters the knowledge base until the owner accepts a suggestion
 * ({@link TranscriptSuggestionController}).
 */
@RestController
@RequestMapping("/api/owner/transcripts")
class TranscriptController {

	private final OwnerDb db;

	private final TranscriptRepository transcripts;

	private final TranscriptUploads uploads;

	private final OwnerProperties.Transcripts settings;

	TranscriptController(OwnerDb db, TranscriptRepository transcripts, TranscriptUploads uploads,
			OwnerProperties properties) {
		this.db = db;
		this.transcripts = transcripts;
		this.uploads = uploads;
		this.settings = properties.transcripts();
	}

	@PostMapping
	ResponseEntity<TranscriptUploads.Uploaded> upload(OwnerPrincipal owner, HttpServletRequest request)
			throws IOException {
		TranscriptFiles.Upload upload = TranscriptFiles.read(request, this.settings.maxBytes().toBytes());
		String requested = OwnerForms.title(request, this.settings.maxTitleChars());
		String title = requested != null ? requested : TranscriptFiles.defaultTitle(upload, this.settings.maxTitleChars());
		TranscriptUploads.Uploaded uploaded = this.uploads.upload(owner, title, upload.text());
		return ResponseEntity.created(URI.create("/api/owner/transcripts/" + uploaded.transcript().id()))
			.body(uploaded);
	}

	/** Newest first, without their text. */
	@GetMapping
	Paging.Page<TranscriptRepository.Transcript> list(OwnerPrincipal owner, @RequestParam(required = false) String page,
			@RequestParam(name = "per_page", required = false) String perPage) {
		Paging paging = Paging.of(page, perPage);
		return this.db.as(owner, sql -> paging.page(this.transcripts.transcripts(sql, paging.perPage(), paging.offset()),
				this.transcripts.countTranscripts(sql)));
	}

}
