package dev.clara.chat.owner.imports;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import dev.clara.chat.owner.OwnerPrincipal;
import dev.clara.chat.owner.db.OwnerDb;
import dev.clara.chat.owner.imports.ImportJobRepository.Job;
import dev.clara.chat.owner.imports.ImportJobRepository.RowReport;
import dev.clara.chat.owner.web.Ids;
import dev.clara.chat.owner.web.OwnerProblems;
import dev.clara.chat.owner.web.Paging;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/**
 * CSV import: {@code POST} a file (multipart field {@code file}, or the raw body as
 * {@code text/csv}) → 202 with the job; {@code GET} the job for processed/total and counts, and
 * its rows for the per-row report.
 */
@RestController
@RequestMapping("/api/owner/qa-pairs/imports")
class ImportController {

	private final ImportJobs imports;

	private final ImportJobRepository jobs;

	private final OwnerDb db;

	ImportController(ImportJobs imports, ImportJobRepository jobs, OwnerDb db) {
		this.imports = imports;
		this.jobs = jobs;
		this.db = db;
	}

	@PostMapping
	ResponseEntity<Job> upload(OwnerPrincipal owner, HttpServletRequest request,
			@RequestParam(name = "file_name", required = false) String fileName) throws IOException {
		Job job;
		if (request instanceof MultipartHttpServletRequest multipart) {
			MultipartFile file = multipart.getFile("file");
			if (file == null) {
				throw OwnerProblems.invalid("file", "is required (a multipart field named file)");
			}
			try (InputStream in = file.getInputStream()) {
				job = this.imports.start(owner, in, file.getOriginalFilename());
			}
		}
		else {
			String type = request.getContentType();
			if (type == null || !MediaType.parseMediaType(type).isCompatibleWith(MediaType.parseMediaType("text/csv"))) {
				throw new dev.clara.chat.web.ApiProblem(org.springframework.http.HttpStatus.UNSUPPORTED_MEDIA_TYPE,
						"Unsupported media type", "Send the file as multipart/form-data (field file) or as text/csv");
			}
			try (InputStream in = request.getInputStream()) {
				job = this.imports.start(owner, in, fileName);
			}
		}
		return ResponseEntity.accepted().location(URI.create("/api/owner/qa-pairs/imports/" + job.id())).body(job);
	}

	@GetMapping
	Paging.Page<Job> list(OwnerPrincipal owner, @RequestParam(required = false) String page,
			@RequestParam(name = "per_page", required = false) String perPage) {
		Paging paging = Paging.of(page, perPage);
		return this.db.as(owner,
				sql -> paging.page(this.jobs.list(sql, paging.perPage(), paging.offset()), this.jobs.count(sql)));
	}

	@GetMapping("/{id}")
	Job read(OwnerPrincipal owner, @PathVariable String id) {
		UUID job = Ids.parse(id, "import job");
		return this.db.as(owner, sql -> this.imports.find(sql, job));
	}

	/** The per-row report, optionally only rows of one outcome (imported, duplicate, invalid). */
	@GetMapping("/{id}/rows")
	Paging.Page<RowReport> rows(OwnerPrincipal owner, @PathVariable String id,
			@RequestParam(required = false) String outcome, @RequestParam(required = false) String page,
			@RequestParam(name = "per_page", required = false) String perPage) {
		UUID job = Ids.parse(id, "import job");
		Paging paging = Paging.of(page, perPage);
		if (outcome != null && !List.of("imported", "duplicate", "invalid").contains(outcome)) {
			throw OwnerProblems.invalid("outcome", "must be imported, duplicate or invalid");
		}
		return this.db.as(owner, sql -> {
			this.imports.find(sql, job);
			return paging.page(this.jobs.reportRows(sql, job, outcome, paging.perPage(), paging.offset()),
					this.jobs.countReportRows(sql, job, outcome));
		});
	}

}
